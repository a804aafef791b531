"""`renderer serve`: the clinic's desk, a local web page over the pipeline and the batch.

Staff upload handouts (or paste text), see each article's sections as they will print, pin a
passage as safety text or not, choose the print and speech options, render, and then open,
print, play or download what was made, with the readability report. The page works without
JavaScript; a little script only adds live progress, chapter jumps and dropping files.

- settings.py: what `renderer serve` was started with (address, limits, the clinic's settings)
- workspace.py: the private temporary folder, one job per upload, removed after a set time
- uploads.py: what an upload may be (size, type), stored under names of our own
- pins.py: a job's pins, written as the article's pin file
- pool.py: the one worker pool every staff member's renders share
- forms.py: the options form, checked by the configuration layer's rules
- security.py: loopback or a password, the host and CSRF checks, response headers
- app.py: the pages (Flask), templates/ and static/
- server.py: serving the app with waitress

Nothing else in the renderer imports this package.
"""
