# The release notebook, untouched.
# expect: 0
# base: blank
