"""Functions the judge passes INTO learner code (say, the f of numerical_grad(f, x, eps)).

A callable cannot cross the boundary, so a probe travels as its description (a kind from a
fixed list and its numeric parameters, plain data) and is rebuilt on the other side by this
same module: the worker loads it by path, like wire.py. Nothing here runs learner code, and
rebuilding a probe only creates arrays, so a description can never make either side run code.
Only stdlib and numpy are imported.
"""

import numpy as np

MAX_SIZE = 10_000  # entries of x a probe accepts; its matrices are MAX_SIZE x MAX_SIZE at most


class Probe:
    """f(x) -> float for an x of `size` entries (any shape), defined by a kind and its parameters.

    quadratic: f(x) = 1/2 x.A.x + b.x + c on the flattened x (A symmetric, so the gradient is A x + b);
    wave:      f(x) = sum(w * sin(a * x + p)) + sum(v * x**3) + c, entrywise parameters.
    """

    KINDS = {"quadratic": ("A", "b", "c"), "wave": ("w", "a", "p", "v", "c")}

    def __init__(self, kind: str, **params):
        if kind not in self.KINDS or set(params) != set(self.KINDS[kind]):
            raise ValueError(f"a probe of kind {kind!r} with parameters {sorted(params)}")
        self.kind = kind
        self.params = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
        self.size = self.params["b" if kind == "quadratic" else "w"].size
        if self.size > MAX_SIZE or any(v.size > MAX_SIZE * MAX_SIZE for v in self.params.values()):
            raise ValueError("a probe larger than the limit")
        for array in self.params.values():
            array.flags.writeable = False  # learner code may poke at it; it must not change f

    def __call__(self, x) -> float:
        flat = np.asarray(x, dtype=np.float64).reshape(-1)
        if flat.size != self.size:
            raise ValueError(f"f expects an array of {self.size} entries (shaped like x), got {np.shape(x)}")
        p = self.params
        if self.kind == "quadratic":
            return float(0.5 * flat @ p["A"] @ flat + p["b"] @ flat + p["c"])
        return float(np.sum(p["w"] * np.sin(p["a"] * flat + p["p"])) + np.sum(p["v"] * flat**3) + p["c"])

    def gradient(self, x) -> np.ndarray:
        """The exact gradient, shaped like x (for the judge's checks)."""
        flat = np.asarray(x, dtype=np.float64).reshape(-1)
        p = self.params
        if self.kind == "quadratic":
            g = p["A"] @ flat + p["b"]
        else:
            g = p["w"] * p["a"] * np.cos(p["a"] * flat + p["p"]) + 3 * p["v"] * flat**2
        return g.reshape(np.shape(x))

    def describe(self) -> dict:
        """Plain data (wire-safe) from which from_description rebuilds this probe."""
        return {"kind": self.kind, **{name: value.copy() for name, value in self.params.items()}}

    @classmethod
    def from_description(cls, description: dict) -> "Probe":
        params = dict(description)
        return cls(params.pop("kind"), **params)

    def __deepcopy__(self, memo):
        return self  # immutable: a copy is the same function

    def __repr__(self) -> str:
        with np.printoptions(threshold=20, edgeitems=2, precision=6, linewidth=200):
            if self.kind == "quadratic":
                return (f"<f(x) = 1/2 x.A.x + b.x + c with A={self.params['A'].tolist()}, "
                        f"b={self.params['b'].tolist()}, c={float(self.params['c'])}>")
            return ("<f(x) = sum(w sin(a x + p)) + sum(v x^3) + c with "
                    + ", ".join(f"{k}={self.params[k].tolist()}" for k in ("w", "a", "p", "v"))
                    + f", c={float(self.params['c'])}>")
