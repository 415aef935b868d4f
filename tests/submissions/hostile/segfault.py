# Crashes the kernel with a segmentation fault.
# flag: tampering
# expect: 0
# base: blank
# %% cell: profile
import ctypes
ctypes.string_at(0)
