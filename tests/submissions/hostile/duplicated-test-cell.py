# A blank notebook whose first test cell is pasted twice.
# expect: 0
# base: blank
# transform: duplicate-test
