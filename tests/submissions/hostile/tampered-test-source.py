# A blank notebook whose test cells were emptied to `pass`.
# expect: 0
# base: blank
# transform: empty-tests
