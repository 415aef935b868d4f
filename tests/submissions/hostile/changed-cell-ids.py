# A blank notebook whose test cells were given new grade ids.
# expect: 0
# base: blank
# transform: rename-test-ids
