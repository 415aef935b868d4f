# The reference answer plus a scratch notebook of the candidate's own.
# expect: 15
# base: reference
# transform: extra-notebook
