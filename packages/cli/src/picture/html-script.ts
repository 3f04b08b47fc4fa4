// The html picture's only script, inlined into the page (no network): the cluster filter, the step details
// on click, neighbours highlighted on hover. It reads the plan from the page's JSON block and writes text
// with textContent only, so nothing from a step id, title or command is ever parsed as HTML.
export const PICTURE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('plan-data').textContent);
  var byId = {};
  data.steps.forEach(function (step) { byId[step.id] = step; });
  var nodes = Array.prototype.slice.call(document.querySelectorAll('g.node'));
  var edges = Array.prototype.slice.call(document.querySelectorAll('path.edge'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-step]'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=cluster]'));
  var count = document.getElementById('shown-count');
  var details = document.getElementById('details');

  // Where each node was laid out (html.ts); a filter moves the shown ones up to close the gaps.
  var svg = document.getElementById('graph-svg');
  var margin = Number(svg.getAttribute('data-margin'));
  var rowGap = Number(svg.getAttribute('data-row-gap'));
  var geometry = {};
  nodes.forEach(function (node) {
    var rect = node.querySelector('rect');
    geometry[node.getAttribute('data-id')] = {
      x: Number(rect.getAttribute('x')), y: Number(rect.getAttribute('y')),
      width: Number(rect.getAttribute('width')), height: Number(rect.getAttribute('height')),
      column: Number(node.getAttribute('data-column')), dy: 0
    };
  });
  function edgePath(from, to) {
    var x1 = from.x + from.width, y1 = from.y + from.dy + from.height / 2;
    var x2 = to.x - 6, y2 = to.y + to.dy + to.height / 2;
    var bend = Math.max(24, (x2 - x1) / 2);
    return 'M' + x1 + ',' + y1 + ' C' + (x1 + bend) + ',' + y1 + ' ' + (x2 - bend) + ',' + y2 + ' ' + x2 + ',' + y2;
  }
  function compact(hidden) {
    var columns = {};
    nodes.forEach(function (node) {
      var id = node.getAttribute('data-id');
      if (hidden[id]) return;
      var g = geometry[id];
      (columns[g.column] = columns[g.column] || []).push({ node: node, g: g });
    });
    var bottom = 0;
    Object.keys(columns).forEach(function (column) {
      var top = margin;
      columns[column].sort(function (a, b) { return a.g.y - b.g.y; }).forEach(function (entry) {
        entry.g.dy = top - entry.g.y;
        entry.node.setAttribute('transform', 'translate(0,' + entry.g.dy + ')');
        top += entry.g.height + rowGap;
      });
      bottom = Math.max(bottom, top - rowGap + margin);
    });
    edges.forEach(function (edge) {
      var from = geometry[edge.getAttribute('data-from')], to = geometry[edge.getAttribute('data-to')];
      if (!hidden[edge.getAttribute('data-from')] && !hidden[edge.getAttribute('data-to')]) edge.setAttribute('d', edgePath(from, to));
    });
    var width = Number(svg.getAttribute('width'));
    svg.setAttribute('height', String(bottom));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + bottom);
  }

  function visibleClusters() {
    var shown = {};
    boxes.forEach(function (box) { if (box.checked) shown[box.value] = true; });
    return shown;
  }
  function applyFilter() {
    var shown = visibleClusters();
    var hidden = {};
    var visible = 0;
    nodes.forEach(function (node) {
      var off = !shown[node.getAttribute('data-cluster')];
      node.classList.toggle('filtered', off);
      if (off) hidden[node.getAttribute('data-id')] = true; else visible++;
    });
    edges.forEach(function (edge) {
      edge.classList.toggle('filtered', !!(hidden[edge.getAttribute('data-from')] || hidden[edge.getAttribute('data-to')]));
    });
    rows.forEach(function (row) { row.classList.toggle('filtered', !!hidden[row.getAttribute('data-step')]); });
    compact(hidden);
    count.textContent = visible + ' of ' + nodes.length + ' steps shown';
  }
  boxes.forEach(function (box) { box.addEventListener('change', applyFilter); });
  var only = document.getElementById('only-cluster');
  if (only) only.addEventListener('change', function () {
    boxes.forEach(function (box) { box.checked = only.value === '*' || box.value === only.value || box.value === ''; });
    applyFilter();
  });

  function add(parent, tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    parent.appendChild(el);
    return el;
  }
  function show(id) {
    var step = byId[id];
    if (!step) return;
    nodes.forEach(function (node) { node.classList.toggle('selected', node.getAttribute('data-id') === id); });
    details.textContent = '';
    add(details, 'h2', step.id);
    add(details, 'p', step.title);
    var facts = add(details, 'dl');
    function fact(name, value) { add(facts, 'dt', name); add(facts, 'dd', value); }
    fact('cluster', step.cluster === undefined ? '(none: runs once)' : step.cluster);
    fact('plugin', step.plugin);
    fact('status', step.upToDate ? 'up to date (apply skips it)' : 'will run');
    fact('duration', step.duration + (step.timing === 'recorded' ? ' (recorded by the last apply)' : ' (estimate: no apply recorded it)'));
    fact('critical path', step.critical ? 'yes' : 'no');
    fact('waits for', step.needs.concat(step.after.map(function (a) { return a + ' (order)'; })).join(', ') || '(nothing)');
    add(details, 'h3', 'Commands and objects');
    var list = add(details, 'ul', undefined, 'runs');
    if (step.runs.length === 0) add(list, 'li', '(no plan lines)');
    step.runs.forEach(function (line) { add(list, 'li', line); });
  }
  nodes.forEach(function (node) {
    var id = node.getAttribute('data-id');
    node.addEventListener('click', function () { show(id); });
    node.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') show(id); });
    node.addEventListener('mouseenter', function () {
      edges.forEach(function (edge) {
        edge.classList.toggle('near', edge.getAttribute('data-from') === id || edge.getAttribute('data-to') === id);
      });
    });
    node.addEventListener('mouseleave', function () { edges.forEach(function (edge) { edge.classList.remove('near'); }); });
  });
  applyFilter();
})();
`;
