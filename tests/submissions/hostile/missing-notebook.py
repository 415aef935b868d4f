# The folder holds the data but no notebook.
# expect: 0
# base: reference
# transform: remove-notebook
