# A scaled MLPClassifier that trains for max_iter epochs without early stopping. It scores well
# on the hidden digits, but the task asks for early stopping: loses that point.
# expect: 21
# base: reference
# %% cell: pipeline
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def build_pipeline():
    return make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(128,), max_iter=300, random_state=0))
