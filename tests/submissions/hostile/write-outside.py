# Writes files outside its working folder: the course root, the home folder, the system.
# expect: 0
# base: blank
# %% cell: profile
import os
for path in ["../../../PWNED", "../../PWNED", "/usr/PWNED", os.path.expanduser("~/../PWNED")]:
    try:
        open(path, "w").write("x")
        if not path.startswith("/home"):
            print("LEAK: wrote", path)
    except OSError:
        pass
