# The reference solution, plus the two lines many notebooks open with to know whether they run
# on Google Colab (where the data path would differ): import sys and look for google.colab in
# sys.modules. It reads a dict and changes nothing. Full marks.
# expect: 22
# base: reference
# %% cell: softmax
import sys

IN_COLAB = "google.colab" in sys.modules
DATA_DIR = "/content/data" if IN_COLAB else "data"


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=1, keepdims=True)
