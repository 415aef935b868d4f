# The reference answer, saved in the old nbformat 3 layout.
# expect: 0-15
# base: reference
# transform: nbformat-3
