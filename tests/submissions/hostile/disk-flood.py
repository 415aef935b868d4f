# Fills every place it may write (its work folder, /tmp, $HOME, /dev/shm) with big files and
# with many small ones. Each is a tmpfs of its own with a size and a file-count cap (the batch
# sets 64 MB each): none takes more than its cap, and nothing outlives the kernel.
# expect: 0
# base: blank
# %% cell: profile
import os

for top in ["/home/candidate/work", "/tmp", os.path.expanduser("~"), "/dev/shm"]:
    written = 0
    try:
        with open(os.path.join(top, "flood.bin"), "wb") as out:
            while written < (256 << 20):
                out.write(b"x" * (16 << 20))
                out.flush()
                written += 16 << 20
    except OSError:
        pass
    if written > (96 << 20):
        print("LEAK: wrote", written >> 20, "MB in", top)
    made = 0
    try:
        os.makedirs(os.path.join(top, "many"), exist_ok=True)
        while made < 30000:
            open(os.path.join(top, "many", str(made)), "w").close()
            made += 1
    except OSError:
        pass
    if made >= 30000:
        print("LEAK: made", made, "files in", top)
