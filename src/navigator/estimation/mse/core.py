"""Poisson log-linear models for multiple systems estimation, after the R package SparseMSE.

Cells are the ``2**m - 1`` observable capture histories; cell ``code - 1`` has bit ``i`` set when
the history includes list ``i``. A model is main effects plus a set of two-list terms, given as
indices into :func:`layout` ``(m).pairs``. A term whose two lists never overlap in the data is
handled as SparseMSE does: the cells on both lists are left out (the term is minus infinity) and
it counts as one parameter in AIC/BIC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from scipy.optimize import linprog
from scipy.special import gammaln, pdtr, pdtrc

Terms = tuple[int, ...]

# IRLS settings follow R's glm.fit defaults (epsilon = 1e-8, maxit = 25).
IRLS_TOL = 1e-8
IRLS_MAXIT = 25
LP_TOL = 1e-9


class EstimationError(ValueError):
    """No estimate can be given (for example the MLE of the main-effects model does not exist)."""


@dataclass(frozen=True)
class Layout:
    m: int
    H: np.ndarray  # (cells, m) 0/1 floats
    HP: np.ndarray  # (cells, pairs) 0/1 floats: cell is on both lists of the pair
    pairs: tuple[tuple[int, int], ...]
    base: np.ndarray  # (cells, 1 + m): intercept and main effects


@lru_cache(maxsize=16)
def layout(m: int) -> Layout:
    codes = np.arange(1, 2**m)
    H = ((codes[:, None] >> np.arange(m)) & 1).astype(float)
    pairs = tuple(combinations(range(m), 2))
    HP = np.stack([H[:, i] * H[:, j] for i, j in pairs], axis=1) if pairs else np.zeros((len(codes), 0))
    base = np.hstack([np.ones((len(codes), 1)), H])
    for arr in (H, HP, base):
        arr.setflags(write=False)
    return Layout(m, H, HP, pairs, base)


def term_names(lists, terms: Terms) -> list[str]:
    lay = layout(len(lists))
    return [f"{lists[lay.pairs[t][0]]}:{lists[lay.pairs[t][1]]}" for t in terms]


@dataclass
class Fit:
    """A fitted model. ``mu`` is over all cells (0 for cells left out)."""

    terms: Terms
    nonoverlap: Terms
    intercept: float
    var_intercept: float
    mu: np.ndarray
    loglik: float
    n_params: int
    observed: int
    converged: bool
    iterations: int

    @property
    def dark(self) -> float:
        return math.exp(self.intercept)

    @property
    def estimate(self) -> float:
        return self.observed + math.exp(self.intercept)

    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.n_params

    def bic(self) -> float:
        return -2.0 * self.loglik + math.log(max(self.observed, 1)) * self.n_params


def irls(X: np.ndarray, y: np.ndarray, maxit: int = IRLS_MAXIT, tol: float = IRLS_TOL):
    """Poisson log-link fit by iteratively reweighted least squares, as R's glm.fit does it.

    Returns (beta, mu, XtWX from the last iteration, converged, iterations).
    """
    mu = y + 0.1
    eta = np.log(mu)
    ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
    dev_old = 2.0 * np.sum(ylogy - y * eta - (y - mu))
    converged = False
    A = beta = None
    it = 0
    for it in range(1, maxit + 1):  # noqa: B007
        z = eta + (y - mu) / mu
        XtW = X.T * mu
        A = XtW @ X
        try:
            beta = np.linalg.solve(A, XtW @ z)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(A, XtW @ z, rcond=None)[0]
        eta = X @ beta
        np.clip(eta, -700.0, 700.0, out=eta)
        mu = np.exp(eta)
        dev = 2.0 * np.sum(ylogy - y * eta - (y - mu))
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
    return beta, mu, A, converged, it


class TableModels:
    """Fits and existence/identifiability checks for one table of counts (caches both)."""

    def __init__(self, counts: np.ndarray, m: int):
        self.m = m
        self.lay = layout(m)
        self.y = np.asarray(counts, dtype=float)
        self.observed = int(round(self.y.sum()))
        self.pair_totals = self.lay.HP.T @ self.y
        self.list_totals = self.lay.H.T @ self.y
        self.empty_lists = np.flatnonzero(self.list_totals == 0)
        self.positive = self.y > 0
        self._pattern = np.packbits(self.positive).tobytes()
        self._fits: dict[Terms, Fit] = {}
        self._checks: dict[Terms, tuple[bool, bool]] = {}

    # ------------------------------------------------------------------ model matrices
    def _cells_and_columns(self, terms: Terms, for_fit: bool):
        lay = self.lay
        nonover = tuple(t for t in terms if self.pair_totals[t] == 0)
        over = [t for t in terms if self.pair_totals[t] > 0]
        keep = np.ones(len(self.y), dtype=bool)
        for t in nonover:
            keep &= lay.HP[:, t] == 0
        cols = [lay.base]
        if over:
            cols.append(lay.HP[:, over])
        X = np.hstack(cols) if len(cols) > 1 else lay.base
        if for_fit and len(self.empty_lists):
            # Extended MLE: cells on an empty list have fitted value 0 (the list's main effect is
            # minus infinity), so leave those cells and that column out.
            for i in self.empty_lists:
                keep &= lay.H[:, i] == 0
            colkeep = np.ones(X.shape[1], dtype=bool)
            colkeep[1 + self.empty_lists] = False
            X = X[:, colkeep]
        return keep, X[keep], nonover

    # ------------------------------------------------------------------ fitting
    def fit(self, terms: Terms) -> Fit:
        terms = tuple(sorted(terms))
        cached = self._fits.get(terms)
        if cached is not None:
            return cached
        keep, X, nonover = self._cells_and_columns(terms, for_fit=True)
        y = self.y[keep]
        # drop columns that are identically zero on the kept cells (terms on an empty list)
        nz = np.any(X != 0, axis=0)
        if not nz.all():
            X = X[:, nz]
        beta, mu_k, A, converged, iters = irls(X, y)
        try:
            var0 = float(np.linalg.inv(A)[0, 0])
        except np.linalg.LinAlgError:
            var0 = float("nan")
        mu = np.zeros(len(self.y))
        mu[keep] = mu_k
        pos = y > 0
        loglik = float(np.sum(y[pos] * np.log(mu_k[pos])) - mu_k.sum() - gammaln(y + 1).sum())
        fit = Fit(terms, nonover, float(beta[0]), var0, mu, loglik, X.shape[1] + len(nonover),
                  self.observed, converged, iters)
        self._fits[terms] = fit
        return fit

    # ------------------------------------------------------------------ checks
    def check(self, terms: Terms) -> tuple[bool, bool]:
        """(exists, identifiable) for the MLE of the model, as SparseMSE's ``checkident``.

        Existence is the Fienberg-Rinaldo condition: the sufficient statistics lie in the relative
        interior of the marginal cone. Equivalently, there is no direction b with X b <= 0 on all
        cells, X b = 0 on the cells with positive counts and X b != 0. When the positive cells alone
        determine all parameters (full column rank) no such b exists; otherwise a small linear
        programme over the null space of the positive-cell rows decides.
        """
        terms = tuple(sorted(terms))
        cached = self._checks.get(terms)
        if cached is not None:
            return cached
        key = (self.m, terms, self._pattern)
        result = _CHECK_CACHE.get(key)
        if result is None:
            result = self._check_uncached(terms)
            if len(_CHECK_CACHE) > 200_000:
                _CHECK_CACHE.clear()
            _CHECK_CACHE[key] = result
        self._checks[terms] = result
        return result

    def _check_uncached(self, terms: Terms) -> tuple[bool, bool]:
        keep, X, _ = self._cells_and_columns(terms, for_fit=False)
        pos = self.positive[keep]
        p = X.shape[1]
        XP = X[pos]
        if XP.shape[0] >= p:
            _, s, vt = np.linalg.svd(XP, full_matrices=True)
            tol = s[0] * max(XP.shape) * np.finfo(float).eps if len(s) else 0.0
            r = int(np.sum(s > tol))
        else:
            _, s, vt = np.linalg.svd(XP, full_matrices=True) if XP.shape[0] else (None, np.zeros(0), np.eye(p))
            tol = s[0] * max(XP.shape) * np.finfo(float).eps if len(s) else 0.0
            r = int(np.sum(s > tol))
        if r == p:
            return True, True
        identifiable = int(np.linalg.matrix_rank(X)) == p
        null = vt[r:].T  # p x k, orthonormal
        Z = X[~pos] @ null
        exists = not _pushable(Z)
        return exists, identifiable

    def identifiable(self, terms: Terms) -> bool:
        """Rank check only (cheap)."""
        terms = tuple(sorted(terms))
        cached = self._checks.get(terms)
        if cached is not None:
            return cached[1]
        _, X, _ = self._cells_and_columns(terms, for_fit=False)
        return int(np.linalg.matrix_rank(X)) == X.shape[1]

    def check_reason(self, terms: Terms) -> str | None:
        return refusal_reason(*self.check(terms))

    def ok(self, terms: Terms) -> bool:
        exists, ident = self.check(terms)
        return exists and ident

    # ------------------------------------------------------------------ stepwise p-values
    def pvalues(self, fit: Fit) -> np.ndarray:
        """One-sided Poisson p-value of each two-list total given the fit (SparseMSE stepwisefit)."""
        nstar = self.pair_totals
        pstar = self.lay.HP.T @ fit.mu
        lower = pdtr(nstar, pstar)
        upper = np.where(nstar > 0, pdtrc(nstar - 1, pstar), 1.0)
        return np.minimum(lower, upper)


_CHECK_CACHE: dict = {}


def _pushable(Z: np.ndarray) -> bool:
    """Is there u with Z u <= 0 and Z u != 0? (Then the MLE does not exist.)"""
    if Z.size == 0:
        return False
    # Rows of Z that vanish cannot be pushed; drop them.
    nzrows = np.any(np.abs(Z) > 1e-12, axis=1)
    Z = Z[nzrows]
    if Z.shape[0] == 0:
        return False
    k = Z.shape[1]
    c = Z.sum(axis=0)
    A_ub = np.vstack([Z, -c[None, :]])
    b_ub = np.concatenate([np.zeros(Z.shape[0]), [1.0]])
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * k, method="highs")
    if res.status != 0:
        return False
    return res.fun < -LP_TOL


def fienberg_rinaldo_lp(counts: np.ndarray, m: int, terms: Terms) -> bool:
    """SparseMSE's own LP (``checkident``): max s s.t. A x = t, x >= s. Returns True if s > 0
    (the MLE exists). Slower than :meth:`TableModels.check`; kept to cross-check it."""
    tm = TableModels(counts, m)
    keep, X, _ = tm._cells_and_columns(tuple(sorted(terms)), for_fit=False)
    y = tm.y[keep]
    A = X.T
    t = A @ y / max(y.sum(), 1.0)
    n = A.shape[1]
    c = np.zeros(n + 1)
    c[-1] = -1.0
    A_eq = np.hstack([A, np.zeros((A.shape[0], 1))])
    A_ub = np.hstack([-np.eye(n), np.ones((n, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=t,
                  bounds=[(None, None)] * (n + 1), method="highs")
    return res.status == 0 and -res.fun > LP_TOL


def refusal_reason(exists: bool, identifiable: bool) -> str | None:
    """Why a model's estimate cannot be reported, or None when it can."""
    parts = []
    if not exists:
        parts.append("the maximum likelihood estimate does not exist (linear programming check)")
    if not identifiable:
        parts.append("the model is not identifiable (design matrix not of full rank)")
    return " and ".join(parts) or None
