# Answers that the forest overfits more (it reaches 100 % training accuracy too).
# Loses the overfitting answer (1 point).
# expect: 12
# base: reference
# %% cell: overfits
OVERFITS = "forest"
