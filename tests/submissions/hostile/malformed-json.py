# The notebook file is cut off half-way: not valid JSON.
# expect: 0
# base: reference
# transform: truncate-json
