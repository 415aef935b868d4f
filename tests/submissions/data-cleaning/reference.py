# The source notebook's solution, as a candidate would type it.
# expect: 13
# base: reference
