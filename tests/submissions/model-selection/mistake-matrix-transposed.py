# Reads the confusion matrix with rows as the predicted class: false positives and false
# negatives swap, and so do precision and recall. Loses both reading tests (2 points).
# expect: 17
# base: reference
# %% cell: read-matrix
from sklearn.metrics import confusion_matrix

(_tn, _fn), (_fp, _tp) = confusion_matrix(y_test, final_model.predict(X_test), labels=["No", "Yes"])
READ_MATRIX = {"true_positives": int(_tp), "false_positives": int(_fp), "false_negatives": int(_fn), "true_negatives": int(_tn)}
RATES = {"precision": _tp / (_tp + _fp), "recall": _tp / (_tp + _fn), "always_no_accuracy": (y_test == "No").mean()}
