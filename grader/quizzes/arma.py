"""Quiz: ARMA processes, their sign conventions, psi weights and autocorrelations."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant

PHIS = (0.5, 0.8, -0.6)  # AR(1) coefficients; with THETAS, phi + theta is never 0 and theta never 0
THETAS = (0.4, -0.3, 0.9)
MA_THETAS = (0.3, 0.5, 0.8, -0.4, -0.6, 1.5, 2.0)


def psi_weight(rng, ref):
    phi, theta, j = rng.choice(PHIS), rng.choice(THETAS), rng.choice([2, 3, 4])
    answer = float(ref.psi_weights([phi], [theta], j + 1)[j])
    return Variant(
        prompt=f"x_t = {phi} x_(t-1) + eps_t + {theta} eps_(t-1) (all coefficients added). What is the psi "
               f"weight psi_{j}, the effect of a unit shock {j} steps later on x?",
        answer=answer,
        parameters=dict(phi=phi, theta=theta, j=j),
        misconceptions=(
            Misconception("phi^j: the MA part left out", phi ** j,
                          "theta adds a second echo of the shock one step later; it is carried forward by phi too: "
                          "psi_j = phi^(j-1) (phi + theta)."),
            Misconception("0: no feedback carried beyond lag 1", 0.0,
                          "psi_j = theta_j + phi psi_(j-1): the AR part keeps feeding the earlier weights back."),
            Misconception("theta subtracted", phi ** (j - 1) * (phi - theta),
                          "Here the MA part is added: x_t = ... + eps_t + theta eps_(t-1)."),
            Misconception("phi with the lag-polynomial sign", (-phi) ** (j - 1) * (theta - phi),
                          "statsmodels writes the AR polynomial as 1 - phi L; the recursion itself adds phi x_(t-1)."),
        ),
        explanation=f"psi_0 = 1, psi_1 = phi + theta = {phi + theta:g}, then each weight is phi times the one "
                    f"before: psi_{j} = {phi}^{j - 1} * {phi + theta:g} = {answer:.6g}.",
    )


def ma1_autocorrelation(rng, ref):
    theta = rng.choice(MA_THETAS)
    answer = float(ref.theoretical_acf([], [theta], 1)[1])
    return Variant(
        prompt=f"x_t = eps_t + {theta} eps_(t-1) (an MA(1), the MA part added). What is its lag-1 "
               f"autocorrelation rho_1?",
        answer=answer,
        parameters=dict(theta=theta),
        misconceptions=(
            Misconception("theta itself (the psi weight, or the autocovariance with unit variance)", theta,
                          "gamma_1 = theta sigma^2 must be divided by the variance gamma_0 = (1 + theta^2) sigma^2."),
            Misconception("the Box-Jenkins sign", -theta / (1 + theta ** 2),
                          "With x_t = eps_t + theta eps_(t-1) the two neighbours share theta eps_(t-1): "
                          "rho_1 = +theta / (1 + theta^2)."),
        ),
        explanation=f"gamma_0 = (1 + theta^2) sigma^2, gamma_1 = theta sigma^2, so rho_1 = {theta} / (1 + {theta}^2) = "
                    f"{answer:.6g}; every rho_k beyond lag 1 is 0.",
    )


def simulated_value(rng, ref):
    phi, theta = rng.choice(PHIS), rng.choice(THETAS)
    eps = [float(rng.choice([1, 2, 3])), float(rng.choice([-2, -1, 1, 2])), 0.0]
    answer = float(ref.simulate_arma([phi], [theta], eps)[2])
    lag_sign = float(ref.simulate_arma([-phi], [theta], eps)[2])
    ma_minus = float(ref.simulate_arma([phi], [-theta], eps)[2])
    return Variant(
        prompt="What does this print? (zero initial conditions; x_t = phi x_(t-1) + eps_t + theta eps_(t-1))",
        code="from arma import simulate_arma\n"
             f"x = simulate_arma(phi=[{phi}], theta=[{theta}], eps={eps})\nprint(x[2])",
        answer=answer,
        parameters=dict(phi=phi, theta=theta, eps=eps),
        misconceptions=tuple(m for m in (
            Misconception("phi with the lag-polynomial sign", lag_sign,
                          "The recursion adds phi x_(t-1); the minus sign belongs to statsmodels' lag polynomial."),
            Misconception("theta subtracted", ma_minus, "Here the MA part is added: + theta eps_(t-1)."),
        ) if abs(m.value - answer) > 1e-9),
        explanation=f"x_0 = {eps[0]:g}; x_1 = {phi} * x_0 + {eps[1]:g} + {theta} * {eps[0]:g}; "
                    f"x_2 = {phi} * x_1 + 0 + {theta} * {eps[1]:g} = {answer:.6g}.",
    )


QUESTIONS = [
    Choice("statsmodels_signs",
           "You want x_t = 0.6 x_(t-1) + eps_t + 0.3 eps_(t-1) with statsmodels' ArmaProcess(ar, ma). Which "
           "arguments give it?",
           options=[
               Option("ar = [1, -0.6], ma = [1, 0.3]", correct=True),
               Option("ar = [1, 0.6], ma = [1, 0.3]",
                      feedback="ArmaProcess takes the lag polynomial 1 - 0.6 L: the AR coefficients enter negated. "
                               "[1, 0.6] is x_t = -0.6 x_(t-1) + ..."),
               Option("ar = [0.6], ma = [0.3]",
                      feedback="Both are lag polynomials with the zero-lag 1 included: [1, -0.6] and [1, 0.3]."),
               Option("ar = [1, -0.6], ma = [1, -0.3]",
                      feedback="Only the AR side is negated; the MA polynomial is 1 + 0.3 L as written."),
           ],
           explanation="statsmodels writes phi(L) x_t = theta(L) eps_t with phi(L) = 1 - 0.6 L and "
                       "theta(L) = 1 + 0.3 L, so ar = [1, -0.6] and ma = [1, 0.3]."),
    Multi("stationary",
          "Which of these AR parts are stationary (x_t = phi_1 x_(t-1) + phi_2 x_(t-2) + eps_t)?",
          options=[
              Option("phi = [0.5]", correct=True),
              Option("phi = [1.2, -0.5]", correct=True),
              Option("phi = [1.0]", feedback="A random walk: the root of 1 - z is z = 1, ON the unit circle, and "
                                             "the variance grows without bound."),
              Option("phi = [0.5, 0.6]", feedback="1 - 0.5 z - 0.6 z^2 has a root at z = 0.94, inside the unit "
                                                  "circle: shocks are amplified. (phi_1 + phi_2 > 1 is a giveaway.)"),
              Option("phi = [-1.5]", feedback="|phi| > 1 for an AR(1): the root z = -1/1.5 lies inside the unit "
                                              "circle and the series explodes with alternating sign."),
          ],
          explanation="Stationary means every root of 1 - phi_1 z - phi_2 z^2 lies outside the unit circle "
                      "(equivalently the companion matrix's eigenvalues lie inside it). [1.2, -0.5] has complex "
                      "inverse roots of modulus sqrt(0.5) = 0.71: it oscillates and dies out."),
    Choice("ma_cutoff",
           "What does the autocorrelation function of an MA(3) process look like beyond lag 3?",
           options=[
               Option("exactly 0: values more than 3 apart share no shock", correct=True),
               Option("it decays geometrically",
                      feedback="That is the AR signature: feedback keeps old shocks alive. An MA(q) forgets a shock "
                               "after q steps."),
               Option("it alternates in sign but never vanishes",
                      feedback="Alternation comes from a negative AR coefficient. MA autocorrelations cut off."),
               Option("it equals theta_k, the MA coefficient at that lag",
                      feedback="There is no theta_k beyond q = 3; and even within the lags, rho_k is a sum of "
                               "products of psi weights, not a coefficient."),
           ],
           explanation="x_t and x_(t+k) share the shocks eps_(t+k-q) .. eps_t, none when k > q: rho_k = 0 for k > q. "
                       "That cut-off is how the ACF identifies the MA order."),
    Choice("ar1_acf",
           "For a stationary AR(1) x_t = phi x_(t-1) + eps_t, what is rho_k?",
           options=[
               Option("phi^k", correct=True),
               Option("phi^k / (1 - phi^2)",
                      feedback="That is the autocovariance gamma_k with unit shock variance; divide by gamma_0 = "
                               "1 / (1 - phi^2)."),
               Option("phi for k = 1 and 0 beyond",
                      feedback="That cut-off is an MA(1)'s. The AR feedback keeps every earlier value in x_t."),
               Option("k phi^(k-1)",
                      feedback="That would be a repeated root (an AR(2) with phi(z) = (1 - phi z)^2), not an AR(1)."),
           ],
           explanation="gamma_k = phi gamma_(k-1) for k >= 1 (multiply the recursion by x_(t-k) and take "
                       "expectations), so rho_k = phi^k; for an AR(1) the psi weights and the ACF coincide."),
    Numeric("psi_weight", draw=psi_weight, rtol=1e-4),
    Numeric("ma1_autocorrelation", draw=ma1_autocorrelation, rtol=1e-4),
    Predict("simulated_value", draw=simulated_value, rtol=1e-6),
]
