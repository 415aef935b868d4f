# Reads the curves right and answers two runs with the words the notebook's own comment uses to
# define "unstable": lr=5 "stalls" (its loss sits at about 2.35, where it started) and the raw
# grey levels "zig-zags" (its loss jumps between 1.2 and 1.9). The catalogue accepts the
# candidate's own words ("slow", "converges", "diverges"), and these are the notebook's own
# descriptions of the right answer, so full marks.
# expect: 22
# base: reference
# %% cell: rates
RUNS = {"lr=0.001": "too slow", "lr=0.1": "good", "lr=5": "stalls", "raw pixels, lr=0.1": "zig-zags"}
