# The reference solution with the harmless extras of an everyday notebook: %%time on the
# softmax cell, a %time line and a warning filter in the pipeline cell, pandas and numpy print
# options, a global numpy seed, and the scaler's output set to pandas with sklearn.set_config.
# None of it changes a result. Full marks.
# expect: 22
# base: reference
# %% cell: softmax
%%time
np.set_printoptions(precision=4, suppress=True)
pd.set_option("display.precision", 4)
np.random.seed(0)


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=1, keepdims=True)
# %% cell: pipeline
import warnings

import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
sklearn.set_config(transform_output="pandas")


def build_pipeline():
    return make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(128,), early_stopping=True, n_iter_no_change=20,
                      max_iter=500, random_state=0),
    )


%time _ = build_pipeline()
