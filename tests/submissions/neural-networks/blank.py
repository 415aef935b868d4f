# The release notebook untouched: every stub still raises NotImplementedError.
# expect: 0
# base: blank
