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
    # TODO: ValueError unless both are 1-D and non-empty. Use the softplus forms above, so
    #       logits of size 1e4 give finite losses without overflow; L_G as non_saturating says.
    raise NotImplementedError


def optimal_discriminator(p_data, p_model) -> np.ndarray:
    """D* = p_data / (p_data + p_model) elementwise, for two arrays of probabilities of the same shape.

    Example: optimal_discriminator([0.5, 0.25, 0.25], [0.25, 0.25, 0.5]) -> array([0.66666667, 0.5, 0.33333333])
    """
    # TODO: ValueError if the shapes differ or an entry is negative. (Where both are 0 D* is
    #       undefined: any value is accepted there.)
    raise NotImplementedError


def reparameterize(mu, logvar, eps) -> np.ndarray:
    """z = mu + exp(logvar / 2) * eps elementwise, for mu, logvar and eps of the same shape.

    Example: reparameterize([1.0, 0.0], [0.0, 2 * np.log(3.0)], [0.5, -1.0]) -> array([ 1.5, -3. ])
    """
    # TODO: ValueError if the shapes differ; stay finite for logvar between -50 and 50.
    raise NotImplementedError


def vae_loss(x, recon_logits, mu, logvar, beta: float = 1.0) -> tuple[float, float, float]:
    """(total, recon, kl) as floats: total = recon + beta * kl, each summed per sample, averaged over the batch.

    x (B, D) holds targets in [0, 1] and recon_logits (B, D) the decoder's logits; recon is the
    binary cross-entropy -[x log s + (1 - x) log(1 - s)], s = sigmoid(recon_logits), summed over
    the D features of a sample. mu and logvar (B, Z) describe the encoder's Gaussian; kl is the
    KL formula above, summed over the Z latent dimensions of a sample. Both are then averaged
    over the B samples (divided by B, not by B * D).

    Example: vae_loss([[1.0, 0.0]], [[0.0, 0.0]], [[0.0]], [[0.0]]) -> (1.3862943611198906, 1.3862943611198906, 0.0)
    """
    # TODO: ValueError if x and recon_logits, or mu and logvar, differ in shape, if they are not
    #       2-D with the same B, or if beta < 0. Stay finite for logits up to 1e3 and logvar = +-50.
    raise NotImplementedError


def cvae_concat(x, y_onehot) -> np.ndarray:
    """The (B, D + K) input of a conditional VAE: x (B, D) with the one-hot labels y_onehot (B, K) after it.

    Example: cvae_concat([[0.5, 0.25]], [[0.0, 1.0, 0.0]]) -> array([[0.5 , 0.25, 0.  , 1.  , 0.  ]])
    """
    # TODO: ValueError unless both are 2-D with the same number of rows.
    raise NotImplementedError
