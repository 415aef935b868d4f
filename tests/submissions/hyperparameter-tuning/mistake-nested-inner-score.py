# Reports the inner best score of the search as the generalisation estimate: the score that
# chose the winner. Loses the nested-CV test (2 points).
# expect: 11
# base: reference
# %% cell: nested
def nested_cv_estimate(search, X, y, outer_cv):
    return float(clone(search).fit(X, y).best_score_)
