# Phones home: a TCP connection to a port on the grading machine.
# expect: 0
# base: blank
# %% cell: profile
import socket
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"LEAK")
    print("LEAK: connected")
except OSError:
    pass
