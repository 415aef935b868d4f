# The reference answer with its first test cell pasted twice: the copy is dropped, nothing is counted twice.
# expect: 15
# base: reference
# transform: duplicate-test
