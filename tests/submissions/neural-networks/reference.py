# The source notebook's solution, as a candidate would type it.
# expect: 22
# base: reference
