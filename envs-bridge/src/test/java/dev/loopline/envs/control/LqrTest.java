package dev.loopline.envs.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopline.envs.robot.CartPoleConfig;
import dev.loopline.envs.robot.CartPoleSimulator;
import org.junit.jupiter.api.Test;

class LqrTest {

    /** A scalar system has a closed-form discrete Riccati solution. */
    @Test
    void scalarSystemMatchesTheClosedForm() {
        double a = 0.8;
        double b = 2.0;
        double q = 3.0;
        double r = 0.5;
        double dt = 0.1;
        Lqr lqr = Lqr.design(new double[][] {{a}}, new double[] {b}, new double[] {q}, r, dt);
        double ad = Math.exp(a * dt);
        double bd = (ad - 1) / a * b;
        double linear = r * (1 - ad * ad) - q * bd * bd;
        double p = (-linear + Math.sqrt(linear * linear + 4 * bd * bd * q * r)) / (2 * bd * bd);
        assertEquals(p, lqr.costToGo()[0][0], 1e-9 * p);
        assertEquals(bd * p * ad / (r + bd * bd * p), lqr.gain()[0], 1e-9);
        assertEquals(bd * bd * p, lqr.inputCurvature(), 1e-9 * p);
    }

    /** The cart-pole expert's gain equals SciPy's solve_discrete_are on the same zero-order-hold model. */
    @Test
    void cartPoleGainMatchesScipy() {
        double[] scipy = {-2.77606403, -5.22125658, -45.34251569, -11.73989775};
        assertArrayEquals(scipy, new CartPoleSimulator(CartPoleConfig.defaults(1)).expertGain(), 1e-6);
    }
}
