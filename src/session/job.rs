//! Background work with progress and cancel: one type for every workflow the window runs off its thread.
//! The worker gets a [`Progress`] to report through and to ask whether it should stop; the window polls
//! the [`Job`] each frame and draws its progress until the result arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// The worker's side: where it reports how far it got, and learns whether it was cancelled.
#[derive(Clone, Default)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    cancelled: Arc<AtomicBool>,
}

impl Progress {
    /// Records `done` of `total` steps.
    pub fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// Steps done and the total, as last recorded.
    pub fn get(&self) -> (u64, u64) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// Whether the user asked the work to stop; a worker checks this between steps.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Asks the work to stop.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

/// Where a job stands when polled.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll<T> {
    /// Still running.
    Running,
    /// Finished with this result (handed over once).
    Done(T),
    /// The worker ended without a result (it panicked); the message says so.
    Lost,
}

/// Work running on its own thread.
pub struct Job<T> {
    progress: Progress,
    result: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread. `name` names the thread ("autosave"), for debuggers and panic messages. If the
    /// system refuses a new thread, the work runs here and now instead: slower to answer, never lost.
    pub fn spawn(name: &'static str, work: impl FnOnce(&Progress) -> T + Send + 'static) -> Job<T> {
        let progress = Progress::default();
        let (tx, rx) = channel();
        let worker = progress.clone();
        // Shared so that the work can be taken back and run here when no thread can be started.
        let work = Arc::new(std::sync::Mutex::new(Some(work)));
        let on_thread = (work.clone(), tx.clone());
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            let (work, tx) = on_thread;
            let taken = work.lock().ok().and_then(|mut w| w.take());
            if let Some(work) = taken {
                // The receiver may be gone (the window closed the dialog): the result is then dropped.
                let _sent = tx.send(work(&worker));
            }
        });
        if spawned.is_err() {
            let taken = work.lock().ok().and_then(|mut w| w.take());
            if let Some(work) = taken {
                let _sent = tx.send(work(&progress));
            }
        }
        Job { progress, result: rx }
    }

    /// The result once there is one.
    pub fn poll(&self) -> Poll<T> {
        match self.result.try_recv() {
            Ok(result) => Poll::Done(result),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// Waits at most `timeout` for the result (a clean quit waits briefly for an autosave).
    pub fn wait_timeout(self, timeout: std::time::Duration) -> Option<T> {
        self.result.recv_timeout(timeout).ok()
    }

    /// Its progress, to draw or to cancel through.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_progress_stops_when_cancelled_and_hands_over_its_result() {
        let (go, wait) = channel::<()>();
        let job = Job::spawn("counting", move |p| {
            let mut steps = 0;
            for i in 0..1_000_000u64 {
                if p.is_cancelled() {
                    break;
                }
                p.set(i + 1, 1_000_000);
                steps += 1;
                if i == 10 {
                    // Hold here until the test has seen the progress and cancelled.
                    let _ = wait.recv();
                }
            }
            steps
        });
        while job.progress().get().0 < 11 {
            std::thread::yield_now();
        }
        assert_eq!(job.poll(), Poll::Running);
        assert_eq!(job.progress().get(), (11, 1_000_000));
        job.progress().cancel();
        go.send(()).unwrap();
        assert_eq!(
            job.wait_timeout(std::time::Duration::from_secs(10)),
            Some(11),
            "the worker stopped at the next step after the cancel"
        );
    }

    #[test]
    fn a_worker_that_panics_is_reported_lost_not_hung() {
        let job: Job<u8> = Job::spawn("failing", |_| panic!("on purpose"));
        let start = std::time::Instant::now();
        loop {
            match job.poll() {
                Poll::Running if start.elapsed().as_secs() < 10 => std::thread::yield_now(),
                other => {
                    assert_eq!(other, Poll::Lost);
                    break;
                }
            }
        }
    }
}
