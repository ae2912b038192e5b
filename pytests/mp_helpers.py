"""Functions that multiprocessing children run by name.

Kept out of the test files: those import conftest, which builds the
fixtures, and a `forkserver` or `spawn` child imports the module a pickled
function lives in.  The fixture modules are found on PYTHONPATH."""


def run_job_and_async(timeout=20):
    """Runs a job, an async function and an async sleep in this process."""
    import fx_jobs
    return (fx_jobs.squares(4).result(timeout=timeout),
            fx_jobs.add_async(2, 3).result(timeout=timeout),
            fx_jobs.gather_async(10).result(timeout=timeout),
            fx_jobs.sleep_async(5, "slept").result(timeout=timeout))
