# Never returns.
# expect: 0
# base: blank
# %% cell: profile
while True:
    pass
