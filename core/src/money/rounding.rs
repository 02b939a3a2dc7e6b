//! Named rounding modes.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How to round an amount that falls between two representable values.
///
/// In JSON: `"half_even"` (the default, banker's rounding), `"half_up"` (ties away
/// from zero, what most people learned at school), `"half_down"` (ties toward zero),
/// `"up"` (away from zero), `"down"` (toward zero, truncation), `"ceiling"` (toward
/// +∞) and `"floor"` (toward −∞).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::money::Rounding;
/// let x = Decimal::new(-25, 1); // -2.5
/// assert_eq!(Rounding::HalfEven.apply(x, 0), Decimal::from(-2));
/// assert_eq!(Rounding::HalfUp.apply(x, 0), Decimal::from(-3));
/// assert_eq!(Rounding::Ceiling.apply(x, 0), Decimal::from(-2));
/// assert_eq!(Rounding::Floor.apply(x, 0), Decimal::from(-3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Ties to the even neighbour.
    #[default]
    HalfEven,
    /// Ties away from zero.
    HalfUp,
    /// Ties toward zero.
    HalfDown,
    /// Always away from zero.
    Up,
    /// Always toward zero.
    Down,
    /// Always toward positive infinity.
    Ceiling,
    /// Always toward negative infinity.
    Floor,
}

impl Rounding {
    /// Every mode, in declaration order.
    pub const ALL: [Rounding; 7] = [
        Rounding::HalfEven,
        Rounding::HalfUp,
        Rounding::HalfDown,
        Rounding::Up,
        Rounding::Down,
        Rounding::Ceiling,
        Rounding::Floor,
    ];

    /// Round `value` to `scale` digits after the point. The result carries exactly
    /// `scale` digits (`2.5` to scale 2 is `2.50`), so documents show the unit they
    /// were rounded to.
    pub fn apply(self, value: Decimal, scale: u32) -> Decimal {
        let scale = scale.min(28);
        let mut r = value.round_dp_with_strategy(scale, self.strategy());
        // round_dp never adds digits; pad so that "2.5" rounded to cents reads "2.50".
        if r.scale() < scale {
            r.rescale(scale);
        }
        r
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfDown => RoundingStrategy::MidpointTowardZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
        }
    }
}
