# Allocates until the machine runs out of memory.
# expect: 0
# base: blank
# %% cell: profile
hoard = []
while True:
    hoard.append(bytearray(256 * 1024 * 1024))
