# A blank notebook with every test cell deleted: the tests come back and fail.
# expect: 0
# base: blank
# transform: delete-tests
