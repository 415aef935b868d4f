# The reference answer, saved under another file name.
# expect: 0-15
# base: reference
# transform: rename-notebook
