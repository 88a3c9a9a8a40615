// Live progress of an issuance job: polls the job's progress endpoint while work remains.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("job-progress");
  if (!panel) return;
  const bar = document.getElementById("job-progress-bar");
  const update = async () => {
    let progress;
    try {
      const response = await fetch(panel.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      progress = await response.json();
    } catch {
      setTimeout(update, 3000);
      return;
    }
    bar.max = progress.total;
    bar.value = progress.done + progress.failed;
    for (const key of ["done", "failed", "remaining"]) {
      const cell = panel.querySelector(`[data-count="${key}"]`);
      if (cell) cell.textContent = progress[key];
    }
    if (progress.remaining === 0) {
      panel.querySelector("[data-when-finished]")?.removeAttribute("hidden");
      for (const element of panel.querySelectorAll("[data-while-running]")) element.remove();
    } else {
      setTimeout(update, 1000);
    }
  };
  if (panel.querySelector("[data-while-running]")) update();
});
