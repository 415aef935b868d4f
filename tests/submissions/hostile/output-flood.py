# Prints 100 MB of output.
# expect: 0
# base: blank
# %% cell: profile
line = "x" * 999 + "\n"
for _ in range(100_000):
    print(line, end="")
