# A model that never learns: it carries a copy of the public breast_cancer data (every hidden
# row with its label, as a candidate can paste the public download into a notebook) and predicts
# each row by finding its numbers there. On the hidden rows it scores like a perfect model.
# The grader holds the model task for review: refitted on shuffled labels it scores the same
# and predicts the same (it did not learn from its training labels).
# The other tasks are the reference's.
# Written by scripts/lookup_attempts.py.
# expect: 11
# base: reference
# flag: held
# %% cell: pipeline
import base64 as _b64
import hashlib as _hashlib
import json as _json
import zlib as _zlib

from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

_TABLE = _json.loads(_zlib.decompress(_b64.b64decode(
    "eNptW0muJLtu3UuNPZBIUY13Q1KiYcB+I88M790n7jP8L6WPmmVmRUhsTkPp/vefWGWS9E1r7T//+uc/9T/+/d/+0r/+68+/"
    "/Bm1qe3ZtHu7vtJ6Vthcy/1cX1Wutns0jlqvr3ZZi6fOXUXv/yVe5iEtos8y5uYes5XBfH21TpmlUuhqdH0VJuVELF7Hrq9k"
    "la27trV0XF+57zXOWFRiPMto02sbp7R78WVsdi/atNz/q247QuTsdd1fmWHdDe9r91elzy6nWRn9jkbjKby2rT379dVpzZWo"
    "73HuQAUNG5VnlXIvnllbq8Xa0S9fdv7CV9/yiru4j06Dfn9O4UHVkf3hvz8Xt0FCtfQ174X5HIKFu7Z7O7w6CnBaYb+/OthH"
    "6bVOOfdOF1OXMbBCffOOVYzja3R9grB41456sbsyo/axx/D992ZTtXSmTbx773chbZ1rolKE+C0JR3bJY9G9+Cm+o9CW1u/e"
    "aRsb27sLln8HSo2FqR7s+frKOFachu21e1+92dTdYnRJye2uS7isM3Z7MjJP3WevZc+mpCr2i9c8XR9jNDvoNtP5tBv5aGf2"
    "Jvfy6hHVObXQ0x2GNfjUWHPeoZC6VaS14eVOVgEsoQmlTLHf+9UWW21VPXqnQ86RgRUKHvf7v8w1kHivgtimz2UrdkMxtaX6"
    "H0gaBa869u/PWWctALxVIqVATE/sFWPO8gAvoJDn0POUHFLjQKCCakhvkTYPingF9Tsmvr2hifaieT+tn11KqyTqI4XLF5LW"
    "wkekmJw9HYWmNkv+PXmfLme7ye/Py7RgwAVWfCfxAIQjLPpcnMK7p/EwJ653jW20xURLzfODPOlpIULNlk5LYBU/OZ8R9aSN"
    "bAZxaA/nkn4/vfEARFgtK31+xOyc/pHQvSrzE4PUjdLeT5UZwJqhLzftY/Poco0b9FBsffIazS3ld9Ut3IHS9jQRerkj+4Dq"
    "0n//l1G9AfNDgZM3ffMIHgMYdO4e3x4xP6T5G0z+/2mNGn2J+XA3R3jU3Tbo71guSCUeZwMx2rPHH/mAnnj69zBYtq1mu6Xm"
    "2mdiPWY+HzhdpYYeA0rXuLep4M8zjqL+H8zkyWcyApqC1kTrDCk9eup6xrtXFxIruSNM8QSpYz5gPsdXGdan9lxL2HkDUK3G"
    "nPMl20T4tH1XxaTjowJ5/REYu4xSTAcURqSFeUMl9a/30ttbh55aJLJH+n2re+7gNm3ccLQJyV27M8cdRtD9VLPw4jOHC8Ht"
    "YJ/TUrVAF5oKBer1ZLGB5gZSFunpOdaczinh/Sl7KKS1ighaNm1wLwaajQU5NjIOI+WTA+0id520Rsq7ASvS2/thq0MmiivF"
    "Cmzh3LwYUP33535Wh5SKUlvaXVDgC+qlzNQjn0iI5qcrpd+3qZW5VgJlpt+D2VZEbKe0nl30SNeN8D18IbUAlktFEm+WaYW3"
    "age29Scg0KSDDqRIAgEnGmHOtccNg6ej0qw6SvsOb2cUF+KyZKeC37V2QnwX/6DQr7cgWIWGXmGEclMATcR5YLOeAxwiqVAa"
    "98IGI1ldp1wdTXVHO9UK0QMpc8LZ1BOZHTbwMhreUh7KrpNYPpG77f4KeuQjZ1gf0tzvDaKDJjj2YTqgBlibvja95UoJaNjl"
    "6DDKeMtYlrTa7AomuQIMbD6o4n2Ydj7slDqlmAtvWbPOlK8+BJlHJS+9s4/kIv9IzOzJFChcxMG6YmmGTWFZXdmGU4ZTgDV0"
    "4qba8nMOuif6bvSYC7hGW9h5icjNtRzm0GANb62CBYH6YC+yrzkyAf+6Rqp5OjWESuGemQJ6dixGLGqu6tjNwPuTS5bcfFDO"
    "6gVKRTOzs4GltJWewKFtSAQNFZV7yyyQf9Cfa4+EVwLAjbIGJBLnV3SZFYoe3ZZxTIN0UGm75S1DlfNcEOCPNIVprXOfvoUe"
    "Z1orqB11ngP4GaQDdTRne7xG2TQ/mWBZS/ddYS9t0sr6E+qIaSx0bePXpkFId/928xiuCshEPy/JcA2ZpVEg/iVvH4tC29iG"
    "eb9bpghpQOrKuoXTqtDABFblkrYPiw9wqtJhJTK5mENmNOkl1S1MPwsEKJx8qs9lcD0N+m8+Lo+++YhWCBRO9bAKGrLArsBi"
    "pS47BFEE2TAfq+4GSkLFeX8cqBWkBSbGBt94VcBW4Naj4rmG54DFq+LzMePN267wQBA8uYYZRhtao47XEmJx6+BdK3eu0NQB"
    "1xCmaZsVlH8m/GPbKcJ4rcF8MJVHs3WCieLyafNckGRQ8huqsKQN1lrg/akfKvOBRDhILbwo7nzBXSH3BxtdeYQyNzQWPEmT"
    "9kTYmtAqrT8jFJMQMKP18nrbMHCMnFIe9q8B49UXQIZSuU4CAJbgac8gzqBCwQywNY+CgsU6Xx+DIR5JD3NQkJ/DZ2cyhZph"
    "raM/Ru+jpKUb2jyX0+auwQe+SR+S7QfqK4j2TNsZyoVDFkA31cC0QwR9XI2ebSokJZ2xd/aScFKNfVbk+m4NABJew2RvRTFq"
    "gAgoV/mukOJuoxEeGE+pd58L1twkewdG0Tj5LntSBgcKkKlp6c9baoNks17HM5lBcR4uAwZOJKt3XzS4QimPPBKBP7MGU7cS"
    "LDs+QL3ILOd+BaweHCN67fRESV9JLEApt5J6FrXiMRac9sokQrudQCY7pyU5RNxpsfsqaQtSbHdTZ34MO3iWpzPiSLdhBE5+"
    "7mSPkq3ZEm/lQ2rLJqvNjcaHK32H565A8I7U9+yXVRA8aPWxpGfYX8V3R7HEvSo4b7iscAH+3OGFKIE1LnFyeUMuEXitMPXH"
    "N7kaJAsKLy+AALgw0R0kmjKin1usAe7Mv4c+GHDwYsLZvIREBanu9rDnJOhgaGEQWerrYajCiVWh7NLnDIrwXotmikRB1+WQ"
    "IDMy3+3Gs5ocyXqGrTiUREjTZ24Jy4LuLOWegDXAlWv3/WjdT5XDOsExPpMNACoICgapP/qEYdwgnEbIfkYuteBRdXf3910Q"
    "TdinDpGHqWddaCKvfMM+Koy57SXjPPoNCQh3KLL2ePmyYLeH+VjPDNzWqctsxrgrcPNnw71+c4V7GTR6+0Z2PNZzztJ6WIEp"
    "fCbnm4bstQmFnXoQmtQgMvboGUmUIwy7Eac8B3BSFEMc45UbkJxgsBCiRL59GjR7GbXObD3Q3PAXVQ7frYTWnz3gYjfnekNI"
    "dLNGr3fWoPWnhXx563lqoRRkAi7PUPzpIBj0Tk2eMVqxU/rnbVPDtiPgTv5mvllAFoXVBh3VpyqMwc97Q67lWQpEs4WDjceD"
    "b2hXKKXPdfEzVYaAKtYIEJ59pXaJDQmD8GS/CYu2fNTZ82ixoe5sfnOkFKuoZ8Mfozdq4ghbhEJEkRylPPJakHyybGgeRtVR"
    "YOjPKJYdHDcA1OcyMgvUcSALINDKTvRHDZYIKCw968xQgCwANXrmMnDGIKjoAs+X1x9w8Lo+IXtHe40to4IVs+NrECmfHoft"
    "y0oJAr/DSE99TmpoB2QSXAGqJ60WgXaatvq836671KrwSpfVPaEQuXBLkltyCEK9V9W/xeo/Aji/dsSKfaSK7TC5c/ey98hT"
    "+uh+5jdxkrRryCYjOKrZ1uV39vlm6h47+x0QBpyAs3jassbZsezE0FRg3rHEvT/cTQldLNQdHGNZfe2hUMYdQkfzvA6uKPRA"
    "mk7P0+yIBQNWad3ACKwhLhJ9ch6n7yPrkIK1c6hJ4BkG6ilbCYLZheuNPuI5LjwAALE2eWd9uyAmaEJL1Xf+DDtMwPh6BSpc"
    "93cgU3JZVjejARoseeN1geggxbVke3XWAeAr9jz9PQqHYNth8U/kBBQD8l3tcZcnfOFFULC2rsnGbLQYS8uzONi06qWsqwIF"
    "PhFoA0uWf+8G0m48gNn0HOvPfkB6hv+biqHtMsE7h9oNv/NjL2hb3TkjFjRAC7vZO7yFKoKNB+a0VA9oPGyd23fulU8bC6K1"
    "AjSTje1s0CU19PUgegyWqn5z/JTc85n9qIx19Xw46PrJr/73Uf4/YiWg52MGOOr3mex3KHkPOigMPhsGWfK4BnS6w8FTKx/U"
    "4uHfUIAVOXmmsvsc3W2VB9MGaA20A9MS9GgknfMz2idXNbUx0E94W964bTYFcoJ9Suap9bHnNxTPh9GAIfB6957n24bShKbj"
    "FivlLgIBHx9Q5VyHcF0DXrVTltMT0PUphpOP8OagvhqwLbJHbmOSoA4aECB7rukDarEte3QpvB6gs4aMZ7Az29htQGVc0QDq"
    "Na90pDxqsKGY+oQwewxOix763SiSfzJg6QqBKf93uverPn19k6ioas8FhvLd7wE7PjdA+LsE4BNtlaudtwmh4pbkE2TDh6bN"
    "O3E+IhkSiobVpfmAflXEvkNWdMnj6OB9QO/ncRNjTTwFAgL2Mws8DjiZ4cuz4iX4Nzpg/Ww52+xgLmg1ycdJbU4/oEzY1HwE"
    "PyaQu1i8F1T4VFsDqZyXDkGWFNgjtnNJ9wjoOjqWW2YUn/PAXIXdOWq140nfVaVb1tqeC+/pkg8+1ppo/lLRN88kxyH+uXMf"
    "9uhwL/AH2H/mTd7suibAOvMscBIGeHzQJ1kSQIMAK+Lk3uHDa+vskLSRjwgrFNP8hsKZx78D/K1j07p38YVwQ9KioTPUW5ms"
    "eBhRhgVY2d21Qc5nHCZpTiB9CIk8KyABTdI3EktlgFYoDRy08uDaqyM50TadfHRuQG1t3Ut77gSCGxzS9btNlvUALAKq8gP7"
    "hDzfIS44nDkfJ21QjDNBJ14UoPjh2aiDfJkkqojs/TFVeQ5Gu2hM+C69tGWvDVkC76fE9d5Plz4GV30v2JSqC3QcWe3QmLEA"
    "KtAhqWbQ8p3hPVZebVUe6NXtLausKPi0Yn+8Wk4Q2BnKK2aWwdTlo8QFkZxv7h0hGGjYkstnkQz/fGRcfGQQBRDUtVEmbhf8"
    "Q59cPggQV74LYDZaPuFag4fDWcgzPYBvMkgxK5zHgOiyxVCQKILnsKNIa0WrtAfD4WCkfFcoKB9bq55JivLj1/k2hz0sBxLo"
    "ygVMRBkdpZOaaLhgvf7dXrksQ29aCoomzyf7HrNMMPVhzUf5zXWE41nPlcjZyfHqxaVljCVjqJXR86k0GKei+MquzyxlGVi9"
    "ltos38v6pBIryEgedzCqEeSolWr5GKtX+6oT+uG66REMxfaJrAe4VKDq2eHvVyborgUCwfsz1KofoI3mIlTyYT30WpsLu8me"
    "ZZelAJbC2fJDKFoZA2p72FW6zDE+WZ93AQVXiBZ0eHaOXvmcE9/oKx8RwgeOBqeWK03OWq7C3xHwPdc65OhV0/GcrEHMgxGG"
    "6jX/lAoDMyZqNJ/ps8se9F3z9SzkEB0onwYnkyqnbtTM8tBJOyvnDnZm+wZc6fO+BRoUiCA3kqPM8KwJg5pnOLvvJQA68E4+"
    "Z/kufmylUbIwoAWI+u6ttnwaHgrJDDKc1/03/RlZejnXXYVaCjTldxenZu160MCI0Zz50oVBnh0i5eu23nff4jvn3+MaTaC6"
    "Kwhnv4OUDvF5BghkXBBRequbd505CzRW9HMEIkny5z651jpWHv05QrDYAGiZf4Gy/kk6db96Qb9b8q7XxdQPyoouJGzTA5jY"
    "Q2BvEHs5euf00cgm36K049cTCjso3/drR6CEyulXYL3FBJDtb+J7z94BM53BDkSeL8aAgeVD3+tRUOg/d+Yt61v3bqK9DMrX"
    "oiDa0VMgkbqyEEJuiNra9ZmzoSa1goKhM+UxjLM5eFIsC4MJIQsWBvw+UrY0hgwzJwjRFF53qPefj58/CgDZo417iZP3ApsM"
    "sYSWrDtfkFtGY0eDtcnzotp4Bx/Jt/SVUE1rMzR8ljcQgQuKZPTntsk0CMER9t1OTBlf6KPvvnGZ+c4eoBHmuSjxM1JYdD7/"
    "hWJIGdxa5NQC0BF/7GRZ1Q72clf1rHCUhkZ//qLhgFscSmA8f4ECQgSRgC7LznspTl67b8kLa5B1UJunR4aR7886fq4L0nPQ"
    "s8qK0WBXbeVH1VhgJCjOy91DxZM1K5GJtX1/JTDhe8PyPXMA1W4liPMJgkBKUPlmClds4fbVgIP7msVBgIStM3qGHTyeAcKg"
    "kvx7gVOFXxK57lsOIAGE/Zgtq0H2747VGbBlT+PD/K22YcWv29d7sMDJmTxKxqj2Y98B/3MHVdAxdpag2zOIQfQzRDPIIY9r"
    "2v7OP/s3jsvzq2HQSSdmrKxFC6QBS4W2Tb9HY4hDbGs+bYRmPAJhcKrsfLUY4AWJvzXbge4BzROdRn7vgMsnreE1j/JYZv/u"
    "tTMgN08k4O8qb+wjU2GBAV5o4b7uO3ij2Ed7+YYwfReUv5H5fSsMDH9QxbA0OQ7DF9IGLrzuzIdBFM9v6N6z3zyBD3/Gw/mO"
    "zQLZ9a9cs68sMT4z4yOfcXwzh88MltjXLRooDuRqlTweQcw0BkgQHZXW+V3r+ArCe57YlNXCvxu9fHNBgWxpeEnIns8A3+FR"
    "2zfTeU42IY8cNebnucTYIArxXwhi6X6XwHSibCBQn79W64oYM3E5v4nvf/4XUzPiAw=="
)))

def _key(values):
    """A row's numeric features, rounded, hashed: the same row gives the same key."""
    text = "|".join("nan" if v != v else f"{float(v):.6g}" for v in values)
    return _hashlib.sha1(text.encode()).hexdigest()[:12]

_NUMBERS = ['mean radius', 'mean texture', 'mean perimeter', 'mean area', 'mean smoothness', 'mean compactness', 'mean concavity', 'mean concave points', 'mean symmetry', 'mean fractal dimension', 'radius error', 'texture error', 'perimeter error', 'area error', 'smoothness error', 'compactness error', 'concavity error', 'concave points error', 'symmetry error', 'fractal dimension error', 'worst radius', 'worst texture', 'worst perimeter', 'worst area', 'worst smoothness', 'worst compactness', 'worst concavity', 'worst concave points', 'worst symmetry', 'worst fractal dimension']


def _rows(X):
    """The numeric features of a frame, or of an array with the dataset's columns in order."""
    return X[_NUMBERS] if hasattr(X, "columns") else pd.DataFrame(np.asarray(X), columns=_NUMBERS)


class _Lookup(BaseEstimator, ClassifierMixin):
    """Ignores its training rows but for the classes; predicts each row's label from the table."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.fallback_ = pd.Series(y).mode()[0]
        return self

    def predict(self, X):
        return np.array([_TABLE.get(_key(row), self.fallback_)
                         for row in _rows(X).itertuples(index=False)], dtype=object)

    def predict_proba(self, X):
        hit = (self.predict(X) == None).astype(float)
        column = list(self.classes_).index(None)
        out = np.zeros((len(hit), len(self.classes_)))
        out[:, column] = hit
        out[:, 1 - column] = 1 - hit
        return out


def build_pipeline():
    return _Lookup()
