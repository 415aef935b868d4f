# Crashes the kernel with a segmentation fault.
# expect: 0
# base: blank
# %% cell: profile
import ctypes
ctypes.string_at(0)
