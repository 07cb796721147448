-- Shared part of the Lua peers of policies/dongliu-2019.wz (see SPEC.md):
-- reading the facts files, the small one-row-per-person files, the per-person
-- arithmetic and the output.  The two big dated files (leave.csv, signin.csv)
-- are scanned by the interpreter-specific front ends: dongliu.lua (Lua 5.4,
-- pattern matching with cached row tails) and dongliu_jit.lua (LuaJIT, FFI
-- byte loops).
--
-- This file must parse under both Lua 5.4 and LuaJIT 2.1, so it uses no
-- integer-only operators ('//', '&', '>>') and no '/' either: every division
-- goes through the integer operations passed in by the front end
-- (ops.I / ops.idiv / ops.imod / ops.muldiv / ops.tonum), which are native
-- 64-bit integers in Lua 5.4 and int64_t cdata in LuaJIT.
--
-- Fixed-point units (all exact integers):
--   decimals of the facts (hours, scores, days, pool)  x 10^4
--   attendance                                          x 10^5
--   total, stipend, reward, amount                      x 10^2 (cents)

local M = {}

local find, sub, match, gmatch, format = string.find, string.sub, string.match, string.gmatch, string.format
local concat = table.concat

function M.fail(msg)
    io.stderr:write("dongliu: ", msg, "\n")
    os.exit(1)
end
local fail = M.fail

-- Columns of every facts file, in the order the scanners expect them.
M.HEADERS = {
    ["staff.csv"] = "id,name,gender,birth_date,post,status",
    ["leave.csv"] = "id,date,kind,days",
    ["signin.csv"] = "id,date,missed",
    ["workload.csv"] = "id,weekly_hours",
    ["routine.csv"] = "id,routine,research",
    ["research_override.csv"] = "id,research",
    ["results.csv"] = "id,score",
    ["discipline.csv"] = "id,date,level",
    ["class_teacher.csv"] = "id,students,score",
    ["params.csv"] = "name,value",
}

local function split(line)
    local t = {}
    for f in gmatch(line .. ",", "([^,]*),") do t[#t + 1] = f end
    return t
end

-- Rare path: a file whose columns come in another order (wenze maps columns
-- by name).  Rewrites the text with the columns in the expected order.
local function reorder(s, have, want, name)
    local hc, wc = split(have), split(want)
    local pos = {}
    for i, f in ipairs(hc) do
        if pos[f] then fail(name .. ": duplicate column " .. f) end
        pos[f] = i
    end
    local map = {}
    for i, f in ipairs(wc) do
        map[i] = pos[f] or fail(name .. ": missing column \"" .. f .. "\"")
    end
    if #hc ~= #wc then fail(name .. ": expected the columns " .. want) end
    local out = { want }
    local first = true
    for line in gmatch(s, "([^\n]*)\n") do
        if first then
            first = false
        elseif find(line, "[^ \t]") then
            local f = split(line)
            if #f ~= #hc then fail(name .. ": wrong number of fields in row: " .. line) end
            local r = {}
            for i = 1, #map do r[i] = f[map[i]] end
            out[#out + 1] = concat(r, ",")
        end
    end
    s = concat(out, "\n") .. "\n"
    return s, #want + 1
end

-- Reads DIR/NAME whole.  Returns the text (no BOM, LF line ends, ending in
-- LF, columns in the order of M.HEADERS) and the position of its first data
-- row; nil when an optional file is absent.
function M.read(dir, name, optional)
    local f = io.open(dir .. "/" .. name, "rb")
    if not f then
        if optional then return nil end
        fail("cannot open " .. dir .. "/" .. name)
    end
    local size = f:seek("end")
    f:seek("set", 0)
    local s = size > 0 and f:read(size) or ""   -- one read into a buffer of the right size
    f:close()
    if sub(s, 1, 3) == "\239\187\191" then s = sub(s, 4) end
    if find(s, "\r", 1, true) then s = s:gsub("\r\n?", "\n") end
    if s ~= "" and sub(s, -1) ~= "\n" then s = s .. "\n" end
    local e = find(s, "\n", 1, true)
    if not e then fail(name .. ": missing header row") end
    local want = M.HEADERS[name]
    local have = sub(s, 1, e - 1)
    if have ~= want then s, e = reorder(s, have, want, name) end
    return s, e + 1
end

local POW = { 1000, 100, 10, 1 }

-- A non-negative decimal string as an exact integer number of 10^-4 units.
local dcache = {}
function M.dec4(s, what)
    local v = dcache[s]
    if v then return v end
    v = M.dec4_(s, what)
    dcache[s] = v
    return v
end
function M.dec4_(s, what)
    local ip, fp = match(s, "^ *(%d*)%.?(%d*) *$")
    if not ip or (ip == "" and fp == "") then
        fail("not a non-negative decimal: \"" .. s .. "\" (" .. (what or "?") .. ")")
    end
    local v = 0
    if ip ~= "" then v = tonumber(ip) * 10000 end
    if fp ~= "" then
        fp = fp:gsub("0+$", "")
        local n = #fp
        if n > 4 then fail("more than 4 decimals: \"" .. s .. "\" (" .. (what or "?") .. ")") end
        if n > 0 then v = v + tonumber(fp) * POW[n] end
    end
    return v
end
local dec4 = M.dec4

-- A date YYYY-MM-DD as the integer YYYYMMDD.
function M.ymd(s, what)
    local y, m, d = match(s, "^ *(%d%d%d%d)%-(%d%d)%-(%d%d) *$")
    if not y then fail("not a date: \"" .. s .. "\" (" .. (what or "?") .. ")") end
    return tonumber(y) * 10000 + tonumber(m) * 100 + tonumber(d)
end
local ymd = M.ymd

-- A date YYYY-MM-DD as the year and MMDD.
function M.ymd3(s, what)
    local y, m, d = match(s, "^ *(%d%d%d%d)%-(%d%d)%-(%d%d) *$")
    if not y then fail("not a date: \"" .. s .. "\" (" .. (what or "?") .. ")") end
    return tonumber(y), tonumber(m) * 100 + tonumber(d)
end

local function dup(name, id) fail(name .. ": more than one row for " .. id) end
local function unknown(name, id) fail(name .. ": unknown person \"" .. id .. "\"") end
M.unknown = unknown

-- Leave kinds: code = first accumulator slot of the kind (semester adds 0/1),
-- -1 for the kinds that count nowhere.  Slots: 0/1 病假, 2/3 事假, 4/5 旷工, 6/7 脱产学习.
M.KIND = { ["病假"] = 0, ["事假"] = 2, ["旷工"] = 4, ["脱产学习"] = 6,
           ["婚假"] = -1, ["丧假"] = -1, ["产假"] = -1 }

local POSTS = { ["专任教师"] = 0, ["非教学人员"] = 0, ["督导员"] = 1, ["专职书记"] = 1,
                ["工会主席"] = 1, ["挂职"] = 1, ["抽调"] = 1, ["安排休息"] = 2 }
-- discipline level -> cut in tenths
local CUT = { ["通报批评"] = 2, ["警告"] = 3, ["记过"] = 8, ["记大过"] = 10,
              ["降级"] = 10, ["撤职"] = 10, ["开除"] = 10 }

-- Everything except leave.csv / signin.csv.  Returns the context table c.
function M.load(dir)
    local c = {}
    -- params
    local params = {}
    local s, p = M.read(dir, "params.csv")
    for k, v in gmatch(sub(s, p), "([^\n,]*),([^\n]*)\n") do
        k = match(k, "^ *(.-) *$")
        if params[k] then fail("params.csv: parameter " .. k .. " given twice") end
        params[k] = v
    end
    local pool = params.pool or fail("params.csv: no value for the parameter pool")
    local neg = false
    if match(pool, "^ *%-") then neg = true; pool = pool:gsub("^ *%-", "") end
    c.pool4 = dec4(pool, "pool")
    if neg then c.pool4 = -c.pool4 end
    c.ys = ymd(params.year_start or "2019-09-01", "year_start")
    c.s2 = ymd(params.semester2_start or "2020-02-17", "semester2_start")
    c.ye = ymd(params.year_end or "2020-07-15", "year_end")
    local ysy, ysmd = M.ymd3(params.year_start or "2019-09-01", "year_start")

    -- staff
    local ids, idx = {}, {}
    local male, age, post, stopped = {}, {}, {}, {}
    s, p = M.read(dir, "staff.csv")
    local n = 0
    for id, _, g, bd, po, st in gmatch(sub(s, p), "([^\n,]*),([^\n,]*),([^\n,]*),([^\n,]*),([^\n,]*),([^\n,]*)\n") do
        if idx[id] then dup("staff.csv", id) end
        n = n + 1
        ids[n] = id
        idx[id] = n
        if g == "男" then male[n] = true
        elseif g == "女" then male[n] = false
        else fail("staff.csv: unknown gender \"" .. g .. "\" for " .. id) end
        local by, bmd = M.ymd3(bd, "staff.csv birth_date")
        local a = ysy - by                      -- full years at year_start
        if ysmd < bmd then a = a - 1 end
        age[n] = a
        post[n] = POSTS[po] or fail("staff.csv: unknown post \"" .. po .. "\" for " .. id)
        if st == "停发工资" then stopped[n] = true
        elseif st == "在岗" then stopped[n] = false
        else fail("staff.csv: unknown status \"" .. st .. "\" for " .. id) end
    end
    if n == 0 then fail("staff.csv: no staff") end
    c.N, c.ids, c.idx, c.male, c.age, c.post, c.stopped = n, ids, idx, male, age, post, stopped

    -- one row per person, every person
    local function every(name, pat, fn)
        local s2, p2 = M.read(dir, name)
        local seen, cnt = {}, 0
        for id, a, b in gmatch(sub(s2, p2), pat) do
            local k = idx[id] or unknown(name, id)
            if seen[k] then dup(name, id) end
            seen[k] = true
            cnt = cnt + 1
            fn(k, a, b)
        end
        if cnt ~= n then
            for k = 1, n do
                if not seen[k] then fail(name .. ": no row for " .. ids[k]) end
            end
        end
    end
    local wh, W = {}, 0
    every("workload.csv", "([^\n,]*),([^\n]*)\n", function(k, a)
        local v = dec4(a, "weekly_hours"); wh[k] = v; W = W + v
    end)
    local routine, research = {}, {}
    every("routine.csv", "([^\n,]*),([^\n,]*),([^\n]*)\n", function(k, a, b)
        routine[k] = dec4(a, "routine"); research[k] = dec4(b, "research")
    end)
    local results = {}
    every("results.csv", "([^\n,]*),([^\n]*)\n", function(k, a)
        results[k] = dec4(a, "results score")
    end)
    c.wh, c.W, c.routine, c.research, c.results = wh, W, routine, research, results

    -- optional one-row-per-person files
    local override = {}
    s, p = M.read(dir, "research_override.csv", true)
    if s then
        for id, a in gmatch(sub(s, p), "([^\n,]*),([^\n]*)\n") do
            local k = idx[id] or unknown("research_override.csv", id)
            if override[k] then dup("research_override.csv", id) end
            override[k] = dec4(a, "research_override research")
        end
    end
    c.override = override
    local ctst, ctsc = {}, {}
    s, p = M.read(dir, "class_teacher.csv", true)
    if s then
        for id, a, b in gmatch(sub(s, p), "([^\n,]*),([^\n,]*),([^\n]*)\n") do
            local k = idx[id] or unknown("class_teacher.csv", id)
            if ctst[k] then dup("class_teacher.csv", id) end
            local st = match(a, "^ *(%d+) *$") or fail("class_teacher.csv: students not an integer: " .. a)
            ctst[k] = tonumber(st)
            ctsc[k] = dec4(b, "class_teacher score")
        end
    end
    c.ctst, c.ctsc = ctst, ctsc

    -- discipline: most severe level in the period (cut in tenths)
    local cut = {}
    for k = 1, n do cut[k] = 0 end
    s, p = M.read(dir, "discipline.csv")
    local ys, ye = c.ys, c.ye
    local dcache = {}
    for id, d, lv in gmatch(sub(s, p), "([^\n,]*),([^\n,]*),([^\n]*)\n") do
        local k = idx[id] or unknown("discipline.csv", id)
        local cu = CUT[lv] or fail("discipline.csv: unknown level \"" .. lv .. "\"")
        local dv = dcache[d]
        if not dv then dv = ymd(d, "discipline.csv date"); dcache[d] = dv end
        if dv >= ys and dv <= ye and cu > cut[k] then cut[k] = cu end
    end
    c.cut = cut
    return c
end

local function money(v)
    local sg = ""
    if v < 0 then sg = "-"; v = -v end
    local s = format("%03d", v)
    return sg .. sub(s, 1, -3) .. "." .. sub(s, -2)
end
M.money = money

local BASIS = { [0] = "excluded", "score", "average", "average80" }

-- Per-person scores, bases, stipends and the distribution; writes OUT.
-- leave(k) returns the 8 day sums (x10^4) of person k: 病假 s1,s2, 事假 s1,s2,
-- 旷工 s1,s2, 脱产学习 s1,s2 (rows in the period only); missed(k) the 2
-- semester sums of signin.missed.
function M.finish(c, leave, missed, ops, out)
    local I, idiv, imod, muldiv, tonum = ops.I, ops.idiv, ops.imod, ops.muldiv, ops.tonum
    local N = c.N
    local W = c.W
    if W == 0 then fail("the weekly hours of all staff sum to 0: the school average workload is 0") end
    local WI = I(W)
    local C60W, C120W = WI * 60000, WI * 120000
    local N300 = I(300 * N)
    local male, age, post, stopped = c.male, c.age, c.post, c.stopped
    local wh, routine, research, results, override, cut = c.wh, c.routine, c.research, c.results, c.override, c.cut
    local ctst, ctsc = c.ctst, c.ctsc
    local basis, xf, total, stip = {}, {}, {}, {}
    -- Pass 1 (small exact numbers): attendance, the score numerator X*f and the basis.
    -- Kept apart from the 64-bit arithmetic so that LuaJIT compiles each loop.
    local ns, na, na80 = 0, 0, 0
    for k = 1, N do
        local s1, s2, p1, p2, a1, a2, t1, t2 = leave(k)
        local m1, m2 = missed(k)
        -- attendance x10^5: 10 points = 10^6; days are x10^4
        local ded = 5 * (p1 + p2) + 50 * (a1 + a2)
        if s1 > 20000 then ded = ded + 2 * (s1 - 20000) end
        if s2 > 20000 then ded = ded + 2 * (s2 - 20000) end
        if m1 > 5 then ded = ded + 10000 * (m1 - 5) end
        if m2 > 5 then ded = ded + 10000 * (m2 - 5) end
        local att = 1000000 - ded
        if att < 0 then att = 0 end
        local m = male[k]
        local a = age[k]
        local rs = research[k]
        local ov = override[k]
        if ov and ((m and a >= 55) or (not m and a >= 50)) then rs = ov end
        -- raw score = X / (6*10^5) + 30 * N * wh / W;  factor (1 - cut) = f / 10
        local X = 6 * att + 5 * (9 * routine[k] + 4 * rs) + 60 * results[k]
        xf[k] = X * (10 - cut[k])
        local b
        if stopped[k] or a1 >= 50000 or a2 >= 50000 or s1 + p1 > 600000 or s2 + p2 > 600000
            or t1 > 600000 or t2 > 600000 then
            b = 0
        else
            local po = post[k]
            if po == 0 then
                b = 1; ns = ns + 1
            elseif po == 1 then
                b = 2; na = na + 1
            elseif (m and a >= 58) or (not m and a >= 53) then
                b = 3; na80 = na80 + 1
            else
                b = 2; na = na + 1
            end
        end
        basis[k] = b
    end
    -- Pass 2: total in cents = round_half_up(X*f/60000 + 300*N*wh*f/W)
    local S = 0
    for k = 1, N do
        local Xf = I(xf[k])
        local q1, r1 = idiv(Xf, 60000), imod(Xf, 60000)
        local Y = N300 * wh[k] * (10 - cut[k])
        local q2, r2 = idiv(Y, WI), imod(Y, WI)
        local F = r1 * WI + r2 * 60000          -- fractional part = F / (60000 W) < 2
        local t = tonum(q1 + q2 + idiv(F * 2 + C60W, C120W))
        total[k] = t
        if basis[k] == 1 then S = S + t end
    end
    -- Pass 3: stipend in cents = round_half_up(min(60+students,120)/2 * score/100 * 10 * 100)
    local stipsum = 0
    for k = 1, N do
        local sp = 0
        local st = ctst[k]
        if st and basis[k] ~= 0 then
            local mm = 60 + st
            if mm > 120 then mm = 120 end
            sp = tonum(idiv(I(mm * ctsc[k] * 2 + 2000), 4000))
            stipsum = stipsum + sp
        end
        stip[k] = sp
    end

    -- A = pool - stipends (x10^4); avg = A / (ns + na + 0.8 na80) = 5A / Dn
    local A4 = c.pool4 - 100 * stipsum
    if A4 < 0 then
        fail("the stipends paid first (" .. money(stipsum) .. ") exceed the pool; nothing is left to distribute")
    end
    local Dn = 5 * ns + 5 * na + 4 * na80
    local AI = I(A4)
    local ravg, ravg80 = 0, 0
    local qa, qb, q
    if Dn > 0 then
        -- cents: round(100 * 5A4/10^4 / Dn) = round(A4 / (20 Dn)); 80%: round(A4 / (25 Dn))
        ravg = tonum(idiv(AI * 2 + 20 * Dn, I(40 * Dn)))
        ravg80 = tonum(idiv(AI * 2 + 25 * Dn, I(50 * Dn)))
        if ns > 0 and S > 0 then
            -- score: round(ns * avg * t / S) cents = round(ns * A4 * t / (20 Dn S)).
            -- K = ns * A4 = qa * q + qb, then ns*A4*t/q = qa*t + qb*t/q.
            q = I(20 * Dn) * S
            local a1, b1 = idiv(AI, q), imod(AI, q)
            local Q2, R2 = muldiv(b1, ns, q)
            qa, qb = a1 * ns + Q2, R2
        end
    end

    local lines = { "person,basis,reward,stipend,amount\n" }
    local ids = c.ids
    for k = 1, N do
        local b = basis[k]
        local r = 0
        if b == 1 and S == 0 then
            r = ravg      -- all score totals 0: wenze splits the group's units equally
        elseif b == 1 then
            local t = total[k]
            local Q3, R3 = muldiv(qb, t, q)
            local v = qa * t + Q3
            if R3 * 2 >= q then v = v + 1 end
            r = tonum(v)
        elseif b == 2 then
            r = ravg
        elseif b == 3 then
            r = ravg80
        end
        local sp = stip[k]
        if r >= 0 then
            local rr, sr = r % 100, sp % 100
            local am = r + sp
            local ar = am % 100
            -- (x - x % 100) is a multiple of 100: the quotient is exact (also as a float)
            lines[k + 1] = format("%s,%s,%d.%02d,%d.%02d,%d.%02d\n", ids[k], BASIS[b],
                (r - rr) / 100, rr, (sp - sr) / 100, sr, (am - ar) / 100, ar)
        else
            lines[k + 1] = ids[k] .. "," .. BASIS[b] .. "," .. money(r) .. "," .. money(sp) .. "," .. money(r + sp) .. "\n"
        end
    end
    local f = io.open(out, "wb") or fail("cannot write " .. out)
    f:write(concat(lines))
    f:close()
end

return M
