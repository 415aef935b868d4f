# The network that predicts trains without early stopping; a second, decoy MLPClassifier with
# early_stopping=True (one epoch) sits beside it in a soft VotingClassifier with weight 0, so it
# never changes a prediction. The point for early stopping should not be earned by a network
# that votes with weight 0: 21, as for the honest network without early stopping.
# expect: 21
# base: reference
# %% cell: pipeline
from sklearn.ensemble import VotingClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def build_pipeline():
    real = MLPClassifier(hidden_layer_sizes=(128,), max_iter=300, random_state=0)
    decoy = MLPClassifier(hidden_layer_sizes=(2,), early_stopping=True, max_iter=1, random_state=0)
    return make_pipeline(StandardScaler(),
                         VotingClassifier([("real", real), ("decoy", decoy)], voting="soft", weights=[1, 0]))
