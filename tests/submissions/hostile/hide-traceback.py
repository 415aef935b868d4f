# Silences tracebacks so that failing tests show no error output.
# flag: tampering
# expect: 0
# base: blank
# %% cell: profile
ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip._showtraceback = lambda *a, **k: None
