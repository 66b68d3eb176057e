/*
 * LiveProof's simulated live-shopping room. Everything here is invented. It streams chat at a steady
 * rate, changes the product card's price now and then, and records every message it showed in
 * `window.__demo.emitted`, so tests can compare what the page said with what the package kept.
 *
 * Query parameters: rate (messages per second, default 4), count (stop after this many), seed,
 * burst (show this many at once at the start), keep (rows kept in the list, default 150), and
 * list: `append` (default: new rows at the bottom, the oldest removed), `recycle` (a virtualised
 * list: once `keep` rows exist, the top row element is moved to the bottom and rewritten in place)
 * or `shift` (a virtualised list whose row elements stay put: every row's text moves up by one).
 * `window.__demo.stop()` ends it. `window.__demo.emitNow(k)` shows k more messages at once;
 * `window.__demo.say(msg)` shows the message `{author, text, kind}` given. `autostart=0` holds the stream until `window.__demo.start()`;
 * `bare=1` strips every hint (id, class, role) from the chat list and its rows, as some sites do.
 * `chatIn=shadow` puts the chat panel in the open shadow root of a custom element, `chatIn=frame` in
 * a same-origin frame, as micro-frontend sites do. `window.__demo.navigate(path)` moves the page to
 * another room without loading (history.pushState), as single-page sites do: the room number
 * changes and the chat starts afresh.
 * `pushers=P` is the share of messages that try to move the trade off the platform (default 0.04).
 * `products=MS` changes the product card every MS milliseconds (default 8000). `record=count` keeps
 * no copy of the messages (long soak runs: the page's heap stays flat, so what grows is the
 * extension's), only `__demo.shown`; every load of the tab then appends `{seed, shown}` to
 * `sessionStorage['liveproof-demo-loads']` when the page goes away (a reload), so a test can replay
 * what each load showed: the same seed shows the same messages in the same order.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var rate = Math.max(0.1, Number(params.get('rate') || 4));
  var count = params.has('count') ? Number(params.get('count')) : Infinity;
  var burst = Number(params.get('burst') || 0);
  var keep = Number(params.get('keep') || 150);
  var seed = Number(params.get('seed') || 20261128) >>> 0;
  var mode = params.get('list') || 'append';
  var bare = params.get('bare') === '1';
  var chatIn = params.get('chatIn');
  var autostart = params.get('autostart') !== '0';
  var productEvery = Math.max(200, Number(params.get('products') || 8000));
  var countOnly = params.get('record') === 'count';
  var pushers = params.has('pushers') ? Number(params.get('pushers')) : 0.04;
  var firstSeed = seed;
  if (mode !== 'append' && !params.has('keep')) keep = 30;

  function random() {
    // mulberry32: the same seed gives the same stream
    seed = (seed + 0x6d2b79f5) >>> 0;
    var t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function pick(list) {
    return list[Math.floor(random() * list.length)];
  }

  var viewers = [
    '小鹿乱撞',
    '阿珍爱吃鱼',
    '王大妈',
    '夜猫子',
    'Lucky星',
    '江南烟雨',
    '老李头',
    '甜甜圈',
    '追风少年',
    '七月',
    '张姐',
    'momo酱',
  ];
  var viewerLines = [
    '主播这个燕窝是真的吗',
    '已拍',
    '多少钱',
    '包邮吗',
    '怎么还没发货，都三天了',
    '上次买的喝起来像糖水',
    '扣1',
    '能便宜点吗',
    '有没有检测报告',
    '1号链接没货了',
    '主播好美[赞]',
    '孕妇可以喝吗',
    '已经抢到了，期待',
    '退款怎么退？客服不理人',
    '这个和超市卖的有什么区别',
  ];
  var hostLines = [
    '家人们，今天这个燕窝直播间只要 99，假一赔十！',
    '七天无理由退换，放心拍，运费险我们出',
    '1 号链接，库存只有最后 50 单了，手慢无',
    '这是全网最低价，出了直播间就没有这个价了',
    '每天一瓶，美容养颜，三个月皱纹都没了',
    '粉丝福利，点关注，今天下单再送一瓶',
  ];
  var pusherLines = ['喜欢的加我威信 meimei_2025 直接给你发货，比直播间便宜', '想要的私聊我，给你内部价'];
  var emoji = {
    '[赞]':
      'data:image/svg+xml;utf8,' +
      encodeURIComponent(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="#f5b400"/></svg>',
      ),
  };

  var list = document.getElementById('chat');
  if (bare) {
    ['id', 'class', 'role', 'aria-live'].forEach(function (a) {
      list.removeAttribute(a);
    });
    list.parentElement.className = 'side';
  }
  var panel = list.parentElement;
  if (chatIn === 'shadow') {
    var shadowHost = document.createElement('live-chat-panel');
    panel.replaceWith(shadowHost);
    var shadow = shadowHost.attachShadow({ mode: 'open' });
    var shadowStyle = document.createElement('link');
    shadowStyle.rel = 'stylesheet';
    shadowStyle.href = '/stream.css';
    shadow.append(shadowStyle, panel);
  } else if (chatIn === 'frame') {
    var frame = document.createElement('iframe');
    frame.className = 'side-frame';
    frame.title = '直播间聊天';
    panel.replaceWith(frame);
    var frameDoc = frame.contentDocument;
    frameDoc.open();
    frameDoc.write(
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="/stream.css"></head><body class="in-frame"></body></html>',
    );
    frameDoc.close();
    frameDoc.body.append(frameDoc.adoptNode(panel));
  }
  var demo = (window.__demo = { emitted: [], shown: 0, seed: firstSeed, done: false, productChanges: 0 });
  if (countOnly) {
    var LOADS = 'liveproof-demo-loads';
    demo.previousLoads = JSON.parse(sessionStorage.getItem(LOADS) || '[]');
    addEventListener('pagehide', function () {
      sessionStorage.setItem(
        LOADS,
        JSON.stringify(demo.previousLoads.concat([{ seed: firstSeed, shown: demo.shown }])),
      );
    });
  }

  function appendText(parent, text) {
    var parts = text.split(/(\[赞\])/);
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (emoji[parts[i]]) {
        var img = document.createElement('img');
        img.alt = parts[i];
        img.src = emoji[parts[i]];
        parent.appendChild(img);
      } else parent.appendChild(document.createTextNode(parts[i]));
    }
  }

  function nextMessage(n) {
    var r = random();
    if (n % 9 === 4) return { author: '小美优选', text: pick(hostLines), kind: 'host' };
    if (r < pushers) return { author: '福利小助手', text: pick(pusherLines), kind: 'chat' };
    return { author: pick(viewers), text: pick(viewerLines), kind: 'chat' };
  }

  function fill(li, msg, badgeText) {
    li.className = bare ? '' : 'chat-item' + (msg.kind === 'host' ? ' is-host' : '');
    var badge = document.createElement('span');
    badge.className = bare ? '' : 'user-badge';
    badge.textContent = badgeText;
    var name = document.createElement('span');
    name.className = bare ? '' : 'user-name';
    name.textContent = msg.author + '：';
    var text = document.createElement('span');
    text.className = bare ? '' : 'chat-text';
    appendText(text, msg.text);
    // A bare page has no badges either: nothing would tell a reader "Lv12" from the nickname.
    if (bare) li.replaceChildren(name, text);
    else li.replaceChildren(badge, name, text);
    li.__msg = msg;
    li.__badge = badgeText;
  }

  function show(msg) {
    var badgeText = msg.kind === 'host' ? '主播' : 'Lv' + (1 + Math.floor(random() * 30));
    if (mode === 'append' || list.children.length < keep) {
      var li = document.createElement('li');
      fill(li, msg, badgeText);
      list.appendChild(li);
      while (list.children.length > keep) list.removeChild(list.firstElementChild);
    } else if (mode === 'recycle') {
      var top = list.firstElementChild;
      list.appendChild(top); // the same element, moved to the bottom
      fill(top, msg, badgeText);
    } else {
      var rows = list.children;
      for (var i = 0; i < rows.length - 1; i++) fill(rows[i], rows[i + 1].__msg, rows[i + 1].__badge);
      fill(rows[rows.length - 1], msg, badgeText);
    }
    list.scrollTop = list.scrollHeight;
    demo.shown++;
    if (!countOnly) demo.emitted.push(msg);
  }

  /** A single-page navigation to another room: new address and room number, an empty chat. */
  demo.navigate = function (path) {
    history.pushState(null, '', path);
    var id = /(\d{4,})\/?$/.exec(path);
    if (id) document.querySelector('[data-role="room-id"]').textContent = id[1];
    document.title = '另一个直播间 ' + (id ? id[1] : path) + '（LiveProof 模拟直播）';
    list.replaceChildren();
  };

  demo.say = function (msg) {
    show({ author: String(msg.author), text: String(msg.text), kind: msg.kind === 'host' ? 'host' : 'chat' });
  };

  var n = 0;
  function emit() {
    if (n >= count) {
      demo.done = true;
      return false;
    }
    show(nextMessage(n++));
    return true;
  }
  for (var b = 0; b < burst && emit(); b++);
  /** Shows `k` messages at once (tests use it for bursts); returns how many were shown. */
  demo.emitNow = function (k) {
    var shown = 0;
    while (shown < k && emit()) shown++;
    return shown;
  };
  // Messages are due by the clock, so high rates hold even though timers are coarse. Messages shown
  // by emitNow() or say() come on top of these.
  var started = 0;
  var scheduled = 0;
  var timer = 0;
  demo.start = function () {
    if (started) return;
    started = Date.now();
    timer = setInterval(
      function () {
        var target = Math.floor(((Date.now() - started) / 1000) * rate);
        for (; scheduled < target; scheduled++) if (!emit()) return clearInterval(timer);
      },
      Math.max(5, Math.min(250, 1000 / rate)),
    );
  };
  /** Ends the stream (soak tests end it before exporting). */
  demo.stop = function () {
    clearInterval(timer);
    demo.done = true;
  };
  if (autostart) demo.start();

  // The product card: now and then the "fan gift" price trap (¥1 with ¥99 shipping), then back.
  var prices = [
    { price: '¥99', original: '¥399', shipping: '包邮' },
    { price: '¥1', original: '¥399', shipping: '运费 ¥99' },
  ];
  var stock = 50;
  setInterval(function () {
    var p = prices[++demo.productChanges % prices.length];
    document.querySelector('[data-role="price"]').textContent = p.price;
    document.querySelector('[data-role="original-price"]').textContent = p.original;
    document.querySelector('[data-role="shipping"]').textContent = p.shipping;
    stock = Math.max(3, stock - 7);
    document.querySelector('[data-role="stock"]').textContent = String(stock);
  }, productEvery);

  // A moving picture, so screenshots look like a stream.
  var canvas = document.getElementById('video');
  var ctx = canvas.getContext('2d');
  var frame = 0;
  function draw() {
    frame++;
    var g = ctx.createLinearGradient(0, 0, canvas.width, canvas.height);
    g.addColorStop(0, 'hsl(' + ((frame / 2) % 360) + ',45%,35%)');
    g.addColorStop(1, 'hsl(' + ((frame / 2 + 120) % 360) + ',45%,25%)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    ctx.beginPath();
    ctx.arc(320 + 120 * Math.sin(frame / 40), 180 + 50 * Math.cos(frame / 30), 40, 0, Math.PI * 2);
    ctx.fill();
    ctx.font = '28px sans-serif';
    ctx.fillText('小美优选 · 即食燕窝专场', 24, 48);
    requestAnimationFrame(draw);
  }
  draw();
})();
