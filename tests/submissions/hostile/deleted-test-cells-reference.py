# The reference answer with every test cell deleted: the tests come back and pass.
# expect: 15
# base: reference
# transform: delete-tests
