# Plain SGD with a learning rate of 2: the network's updates overshoot and it never learns the
# digits (accuracy far below the naive Bayes baseline). Loses the pipeline's 4 points; early
# stopping is there.
# expect: 18
# base: reference
# %% cell: pipeline
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def build_pipeline():
    return make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64,), solver="sgd",
                                                         learning_rate_init=2.0, early_stopping=True,
                                                         random_state=0))
