# The reference answer whose test cells were given new grade ids: the real tests come back and pass.
# expect: 15
# base: reference
# transform: rename-test-ids
