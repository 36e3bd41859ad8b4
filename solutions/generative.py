"""Losses of generative models: the GAN's two players, and the (conditional, beta-) VAE.

A GAN's discriminator D = sigmoid(logit) scores real samples towards 1 and generated ones towards
0; the generator wants its samples scored as real. For fixed distributions the best
discriminator is D*(x) = p_data(x) / (p_data(x) + p_model(x)). A VAE encodes x as a Gaussian
N(mu, exp(logvar)), samples z = mu + exp(logvar / 2) * eps (the reparameterisation trick, so
gradients flow through mu and logvar), decodes z into logits, and pays the reconstruction
error plus beta times the KL divergence from the prior N(0, 1). A conditional VAE appends the
one-hot label y to the encoder's (and decoder's) input.
    L_D = -mean(log D(real)) - mean(log(1 - D(fake)))
    L_G = -mean(log D(fake))            (non-saturating)   or   mean(log(1 - D(fake)))   (saturating)
    KL  = 0.5 * sum_j (mu_j**2 + exp(logvar_j) - 1 - logvar_j)      per sample
Everything works from logits: log D = -softplus(-logit), log(1 - D) = -softplus(logit), with
softplus(a) = log(1 + exp(a)) = np.logaddexp(0, a), which never overflows.
Forbidden (they do the exercise): torch's binary_cross_entropy(_with_logits), BCELoss,
BCEWithLogitsLoss, kl_div, KLDivLoss, and torch.distributions (kl_divergence, rsample).

Run `grade generative` to check your work; stuck? `grade hint generative`.
"""

import numpy as np


def gan_losses(d_real_logits, d_fake_logits, non_saturating: bool = True) -> tuple[float, float]:
    """(L_D, L_G) as floats, from the discriminator's logits on real (N,) and generated (M,) samples.

    Example: gan_losses([0.0], [0.0]) -> (1.3862943611198906, 0.6931471805599453)
    """
    real, fake = (_vector(a, name) for a, name in ((d_real_logits, "d_real_logits"), (d_fake_logits, "d_fake_logits")))
    # -log D(a) = softplus(-a) and -log(1 - D(a)) = softplus(a): logaddexp never forms exp of a large number.
    loss_d = np.logaddexp(0.0, -real).mean() + np.logaddexp(0.0, fake).mean()
    if non_saturating:
        loss_g = np.logaddexp(0.0, -fake).mean()  # -log D(fake): steep while D rejects the fakes
    else:
        loss_g = -np.logaddexp(0.0, fake).mean()  # log(1 - D(fake)): flat exactly where G is bad
    return float(loss_d), float(loss_g)


def optimal_discriminator(p_data, p_model) -> np.ndarray:
    """D* = p_data / (p_data + p_model) elementwise, for two arrays of probabilities of the same shape.

    Example: optimal_discriminator([0.5, 0.25, 0.25], [0.25, 0.25, 0.5]) -> array([0.66666667, 0.5, 0.33333333])
    """
    p_data, p_model = (np.asarray(a, dtype=np.float64) for a in (p_data, p_model))
    if p_data.shape != p_model.shape:
        raise ValueError(f"p_data {p_data.shape} and p_model {p_model.shape} must have the same shape")
    if (p_data < 0).any() or (p_model < 0).any():
        raise ValueError("probabilities must be non-negative")
    # Pointwise, p log D + q log(1 - D) is maximal where its derivative p/D - q/(1 - D) is 0.
    with np.errstate(invalid="ignore"):  # 0/0 where both are 0: undefined, left as nan
        return p_data / (p_data + p_model)


def reparameterize(mu, logvar, eps) -> np.ndarray:
    """z = mu + exp(logvar / 2) * eps elementwise, for mu, logvar and eps of the same shape.

    Example: reparameterize([1.0, 0.0], [0.0, 2 * np.log(3.0)], [0.5, -1.0]) -> array([ 1.5, -3. ])
    """
    mu, logvar, eps = (np.asarray(a, dtype=np.float64) for a in (mu, logvar, eps))
    if not mu.shape == logvar.shape == eps.shape:
        raise ValueError(f"mu {mu.shape}, logvar {logvar.shape} and eps {eps.shape} must have the same shape")
    # exp(logvar / 2) is the standard deviation; z is then a deterministic, differentiable function of mu and logvar.
    return mu + np.exp(0.5 * logvar) * eps


def vae_loss(x, recon_logits, mu, logvar, beta: float = 1.0) -> tuple[float, float, float]:
    """(total, recon, kl) as floats: total = recon + beta * kl, each summed per sample, averaged over the batch.

    x (B, D) holds targets in [0, 1] and recon_logits (B, D) the decoder's logits; recon is the
    binary cross-entropy -[x log s + (1 - x) log(1 - s)], s = sigmoid(recon_logits), summed over
    the D features of a sample. mu and logvar (B, Z) describe the encoder's Gaussian; kl is the
    KL formula above, summed over the Z latent dimensions of a sample. Both are then averaged
    over the B samples (divided by B, not by B * D).

    Example: vae_loss([[1.0, 0.0]], [[0.0, 0.0]], [[0.0]], [[0.0]]) -> (1.3862943611198906, 1.3862943611198906, 0.0)
    """
    x, logits, mu, logvar = (np.asarray(a, dtype=np.float64) for a in (x, recon_logits, mu, logvar))
    if x.ndim != 2 or logits.shape != x.shape:
        raise ValueError(f"x and recon_logits must be 2-D of the same shape, got {x.shape} and {logits.shape}")
    if mu.ndim != 2 or logvar.shape != mu.shape or mu.shape[0] != x.shape[0]:
        raise ValueError(f"mu and logvar must be (B, Z) with B = {x.shape[0]}, got {mu.shape} and {logvar.shape}")
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta!r}")
    batch = x.shape[0]
    # BCE with logits: -[x log s + (1 - x) log(1 - s)] = softplus(l) - x l, finite for any logit.
    recon = (np.logaddexp(0.0, logits) - x * logits).sum() / batch
    kl = 0.5 * (mu**2 + np.exp(logvar) - 1.0 - logvar).sum() / batch
    return float(recon + beta * kl), float(recon), float(kl)


def cvae_concat(x, y_onehot) -> np.ndarray:
    """The (B, D + K) input of a conditional VAE: x (B, D) with the one-hot labels y_onehot (B, K) after it.

    Example: cvae_concat([[0.5, 0.25]], [[0.0, 1.0, 0.0]]) -> array([[0.5 , 0.25, 0.  , 1.  , 0.  ]])
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y_onehot, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[0] != y.shape[0]:
        raise ValueError(f"x (B, D) and y_onehot (B, K) must be 2-D with the same B, got {x.shape} and {y.shape}")
    return np.concatenate([x, y], axis=1)


def _vector(logits, name):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 1 or logits.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of logits, got shape {logits.shape}")
    return logits
