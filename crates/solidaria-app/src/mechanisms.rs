//! The financial mechanisms catalogue: every mechanism of the registry with its fit to a
//! territory's context (its preconditions judged as an innovation case's are, by
//! `solidaria_core::mechanism::fit`) and whether it is offered there. This module loads the
//! mechanisms and the territory's context from a store; the rules are the core's.

use crate::error::{AppError, AppResult, Code};
use crate::innovation::context_of;
use serde::Serialize;
use solidaria_core::mechanism::{self, Mechanism, MechanismFit};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::Store;

/// One mechanism of the catalogue, with its fit when there is a territory to judge it in.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The mechanism's record.
    #[serde(serialize_with = "as_record")]
    pub mechanism: Mechanism,
    /// Its fit with the territory asked for, or with its own territory when none was asked;
    /// `null` for a mechanism offered anywhere when no territory was asked.
    pub fit: Option<MechanismFit>,
}

fn as_record<S: serde::Serializer>(m: &Mechanism, s: S) -> Result<S::Ok, S::Error> {
    solidaria_core::Record::Mechanism(m.clone()).serialize(s)
}

/// The fit of `m` with territory `t`.
fn fit_in(store: &mut dyn Store, m: &Mechanism, t: &str) -> AppResult<MechanismFit> {
    let chain = territory::ancestors(t, &store.territory_parents()?);
    let context = context_of(store, t)?;
    Ok(mechanism::fit(m, t, &chain, &context))
}

/// The catalogue. With `territory`: every mechanism fitted to that territory's context, those
/// offered there first, then by fit (fits, partial, unknown, does not fit), then by id. Without:
/// every mechanism by id, each fitted to its own territory (when it has one).
pub fn catalogue(store: &mut dyn Store, territory: Option<&str>) -> AppResult<Vec<Listed>> {
    let all = solidaria_store::mechanisms(store)?;
    let Some(t) = territory.filter(|t| !t.is_empty()) else {
        let mut out = Vec::with_capacity(all.len());
        for m in all {
            let fit = match &m.territory {
                Some(home) => Some(fit_in(store, &m, home.as_str())?),
                None => None,
            };
            out.push(Listed { mechanism: m, fit });
        }
        return Ok(out);
    };
    TerritoryId::parse(t).map_err(|e| {
        AppError::new(Code::TerritoryMalformed, format!("territory: expected {e}, found {t:?}")).at("territory")
    })?;
    let chain = territory::ancestors(t, &store.territory_parents()?);
    let context = context_of(store, t)?;
    let mut fits: Vec<(Mechanism, MechanismFit)> = all
        .into_iter()
        .map(|m| {
            let f = mechanism::fit(&m, t, &chain, &context);
            (m, f)
        })
        .collect();
    mechanism::rank(&mut fits);
    Ok(fits.into_iter().map(|(m, f)| Listed { mechanism: m, fit: Some(f) }).collect())
}
