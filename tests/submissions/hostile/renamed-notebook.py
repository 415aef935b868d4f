# The reference answer, saved under another file name: graded as the assignment's notebook.
# expect: 15
# base: reference
# transform: rename-notebook
