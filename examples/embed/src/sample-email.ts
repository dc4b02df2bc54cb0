/** What the drag-and-drop builder exported for this week's newsletter. */
export const sampleEmail = {
  name: 'weekly.html',
  subject: 'New beans are here!!! Cheap and fresh',
  html: `<!doctype html>
<html lang="en"><head><title>Weekly</title></head>
<body style="background-color:#FFFFFF;font-family:Georgia, serif">
<table role="presentation" width="100%"><tr><td style="color:#3E2723;font-size:16px">
<h1 style="color:#3E2723">This week at the cafe</h1>
<p>Our new single origin is cheap and fresh.</p>
<img src="https://cdn.lumen.example/beans.jpg" width="560">
<a href="http://lumen.example/beans?utm_source=newsletter" style="background-color:#1E88E5;color:#FFFFFF;padding:12px">Order beans</a>
</td></tr></table>
</body></html>
`,
};
