"""A correct generative module written differently from the reference: softplus as
max(a, 0) + log1p(exp(-|a|)), the losses as weighted sums, the KL in its textbook form, torch-free."""

import numpy as np


def _softplus(a):
    a = np.asarray(a, dtype=float)
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def gan_losses(d_real_logits, d_fake_logits, non_saturating=True):
    real, fake = np.array(d_real_logits, dtype=float), np.array(d_fake_logits, dtype=float)
    if real.ndim != 1 or fake.ndim != 1 or not len(real) or not len(fake):
        raise ValueError("logits must be non-empty 1-D arrays")
    loss_d = np.sum(_softplus(-real)) / len(real) + np.sum(_softplus(fake)) / len(fake)
    loss_g = np.sum(_softplus(-fake) if non_saturating else -_softplus(fake)) / len(fake)
    return float(loss_d), float(loss_g)


def optimal_discriminator(p_data, p_model):
    p, q = np.array(p_data, dtype=float), np.array(p_model, dtype=float)
    if p.shape != q.shape or np.any(np.minimum(p, q) < 0):
        raise ValueError("p_data and p_model must be non-negative arrays of one shape")
    total = p + q
    return 1.0 - np.divide(q, total, out=np.full(p.shape, 0.5), where=total > 0)


def reparameterize(mu, logvar, eps):
    mu, logvar, eps = (np.array(a, dtype=float) for a in (mu, logvar, eps))
    if mu.shape != logvar.shape or mu.shape != eps.shape:
        raise ValueError("mu, logvar and eps must share a shape")
    return mu + np.sqrt(np.exp(logvar)) * eps


def vae_loss(x, recon_logits, mu, logvar, beta=1.0):
    x, logits, mu, logvar = (np.array(a, dtype=float) for a in (x, recon_logits, mu, logvar))
    if x.shape != logits.shape or mu.shape != logvar.shape or x.ndim != 2 or mu.ndim != 2 or len(x) != len(mu):
        raise ValueError("shapes do not fit")
    if beta < 0:
        raise ValueError("beta must be >= 0")
    per_sample_recon = (x * _softplus(-logits) + (1 - x) * _softplus(logits)).sum(axis=1)
    per_sample_kl = -0.5 * (1 + logvar - mu**2 - np.exp(logvar)).sum(axis=1)
    recon, kl = per_sample_recon.mean(), per_sample_kl.mean()
    return float(recon + beta * kl), float(recon), float(kl)


def cvae_concat(x, y_onehot):
    x, y = np.array(x, dtype=float), np.array(y_onehot, dtype=float)
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y):
        raise ValueError("x and y_onehot must be 2-D with the same number of rows")
    return np.hstack([x, y])
