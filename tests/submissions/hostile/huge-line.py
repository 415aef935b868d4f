# Prints one 50 MB line.
# expect: 0
# base: blank
# %% cell: profile
print("y" * 50_000_000)
