//! A small single-threaded executor: runs several futures with a bound on how many are in
//! flight, so a batch keeps several INES requests outstanding at once. Futures that wait on
//! I/O register what they wait for with the `Reactor`, which blocks until one is ready.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Blocks until at least one of the I/O sources registered since the last wait is ready.
pub trait Reactor {
    /// Returns `Err(Stalled)` when nothing is registered: no future could ever progress.
    fn wait(&self) -> Result<(), Stalled>;
    /// Forgets what was registered in the previous round (each round registers afresh, and a
    /// finished request must be able to drop what it was waited on through).
    fn new_round(&self) {}
}

/// Every future was pending and none was waiting on I/O: a bug, reported instead of a hang.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: every task is pending and none waits on I/O")]
pub struct Stalled;

/// Runs the futures with at most `limit` in flight (at least one), and returns their outputs in
/// input order. Every in-flight future is polled each round; rounds are cheap next to the
/// network round-trips they wait for.
pub fn run_bounded<T, F>(
    reactor: &impl Reactor,
    limit: usize,
    futures: impl IntoIterator<Item = F>,
) -> Result<Vec<T>, Stalled>
where
    F: Future<Output = T>,
{
    let limit = limit.max(1);
    let mut queued = futures.into_iter().enumerate();
    let mut in_flight: Vec<(usize, Pin<Box<F>>)> = Vec::new();
    let mut done: Vec<(usize, T)> = Vec::new();
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        while in_flight.len() < limit {
            match queued.next() {
                Some((i, f)) => in_flight.push((i, Box::pin(f))),
                None => break,
            }
        }
        if in_flight.is_empty() {
            break;
        }
        let before = in_flight.len();
        YIELDED.with(|y| y.set(false));
        reactor.new_round();
        let mut still = Vec::with_capacity(before);
        for (i, mut f) in in_flight.drain(..) {
            match f.as_mut().poll(&mut cx) {
                Poll::Ready(v) => done.push((i, v)),
                Poll::Pending => still.push((i, f)),
            }
        }
        in_flight = still;
        if in_flight.len() == before {
            // Block on I/O. With none registered, a task that yielded (waiting for another's
            // turn) gets another round; otherwise nothing can ever progress.
            match reactor.wait() {
                Ok(()) => {}
                Err(Stalled) if YIELDED.with(Cell::get) => {}
                Err(stalled) => return Err(stalled),
            }
        }
    }
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, v)| v).collect())
}

/// Runs one future to completion.
pub fn block_on<T>(reactor: &impl Reactor, future: impl Future<Output = T>) -> Result<T, Stalled> {
    run_bounded(reactor, 1, [future])?.pop().ok_or(Stalled)
}

/// Runs two futures concurrently and returns both outputs.
pub async fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = Box::pin(a);
    let mut b = Box::pin(b);
    let mut out_a = None;
    let mut out_b = None;
    std::future::poll_fn(move |cx| {
        if out_a.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            out_b = Some(v);
        }
        if out_a.is_some() && out_b.is_some() {
            match (out_a.take(), out_b.take()) {
                (Some(x), Some(y)) => Poll::Ready((x, y)),
                _ => Poll::Pending,
            }
        } else {
            Poll::Pending
        }
    })
    .await
}

thread_local! {
    /// Set when a task yielded this round: the round made progress without I/O.
    static YIELDED: Cell<bool> = const { Cell::new(false) };
}

/// A future that is pending once, then ready: lets other tasks run (used while one task waits
/// for another to finish logging in).
pub fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |_| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            YIELDED.with(|y| y.set(true));
            Poll::Pending
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// A reactor whose I/O is a set of countdowns: each wait ticks them all.
    struct Countdowns {
        ticks: Cell<u32>,
    }
    impl Reactor for Countdowns {
        fn wait(&self) -> Result<(), Stalled> {
            self.ticks.set(self.ticks.get() + 1);
            Ok(())
        }
    }

    /// Ready `ticks` waits after its first poll, like a request sent when first polled.
    fn after(reactor: &Countdowns, ticks: u32) -> impl Future<Output = u32> + '_ {
        let mut start = None;
        std::future::poll_fn(move |_| {
            let start = *start.get_or_insert(reactor.ticks.get());
            if reactor.ticks.get() - start >= ticks {
                Poll::Ready(ticks)
            } else {
                Poll::Pending
            }
        })
    }

    #[test]
    fn outputs_come_back_in_input_order_and_overlap_up_to_the_limit() -> Result<(), Stalled> {
        let reactor = Countdowns {
            ticks: Cell::new(0),
        };
        let out = run_bounded(&reactor, 3, [3, 1, 2, 1].map(|t| after(&reactor, t)))?;
        assert_eq!(out, vec![3, 1, 2, 1]);
        // Three at once: the 4th starts when the 1-tick one ends, everything by tick 3.
        assert_eq!(reactor.ticks.get(), 3);
        Ok(())
    }

    #[test]
    fn a_limit_of_one_is_serial() -> Result<(), Stalled> {
        let reactor = Countdowns {
            ticks: Cell::new(0),
        };
        run_bounded(&reactor, 1, [2, 2, 2].map(|t| after(&reactor, t)))?;
        assert_eq!(reactor.ticks.get(), 6);
        Ok(())
    }

    #[test]
    fn a_future_that_waits_on_nothing_is_reported_not_hung() {
        struct Empty;
        impl Reactor for Empty {
            fn wait(&self) -> Result<(), Stalled> {
                Err(Stalled)
            }
        }
        let never = std::future::pending::<()>();
        assert_eq!(block_on(&Empty, never), Err(Stalled));
    }

    #[test]
    fn join2_overlaps_both_futures() -> Result<(), Stalled> {
        let reactor = Countdowns {
            ticks: Cell::new(0),
        };
        let both = block_on(&reactor, join2(after(&reactor, 2), after(&reactor, 3)))?;
        assert_eq!(both, (2, 3));
        assert_eq!(reactor.ticks.get(), 3);
        Ok(())
    }

    #[test]
    fn yield_now_lets_the_other_tasks_run_first() -> Result<(), Stalled> {
        let order = RefCell::new(Vec::new());
        let reactor = Countdowns {
            ticks: Cell::new(0),
        };
        let task = |name: &'static str, yields: bool| {
            let order = &order;
            async move {
                if yields {
                    yield_now().await;
                }
                order.borrow_mut().push(name);
            }
        };
        run_bounded(&reactor, 2, [task("a", true), task("b", false)])?;
        assert_eq!(*order.borrow(), vec!["b", "a"]);
        Ok(())
    }
}
