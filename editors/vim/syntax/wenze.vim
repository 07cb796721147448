" Vim syntax file for wenze policies (*.wz).
" Generated from grammar/lexer.l by scripts/editors.py; do not edit.
if exists("b:current_syntax") | finish | endif
syn match wenzeComment "\(#\|//\).*$" contains=@Spell
syn region wenzeString start=+"+ skip=+\\"+ end=+"+
syn match wenzeDate "\<\d\{4}-\d\d-\d\d\>"
syn match wenzeNumber "\<\d\+\(\.\d\+\)\?%\?"
syn match wenzeKeyword "\<and\s\+so\s\+on\>"
syn keyword wenzeKeyword policy version effective display import param period split into at from to
syn keyword wenzeKeyword fact persons key dated by one per person every optional for entity
syn keyword wenzeKeyword award keep limit desc asc responsible first direct reports_to decide overrides sharing
syn keyword wenzeKeyword text int decimal date bool enum let section points floor cap deduct
syn keyword wenzeKeyword bonus free when if then else and or not in where all
syn keyword wenzeKeyword any each classify otherwise ladder table sanction tier cut grade exclude notice
syn keyword wenzeKeyword test expect rows history zero counts within total distribute stipend round role
syn keyword wenzeKeyword duty true false
syn match wenzeKeyword "\<\(方案\|版本\|生效\|显示\|引用\|参数\|期间\|划分\|为\|于\|从\|至\)\>"
syn match wenzeKeyword "\<\(事实\|名单\|主键\|计日\|按\|唯一\|每\|人员\|人人\|可选\|逐条\|属\)\>"
syn match wenzeKeyword "\<\(单位类\|奖惩\|存档\|限额\|降序\|升序\|责任人\|第一\|直接\|上级\|裁定\|优先于\)\>"
syn match wenzeKeyword "\<\(同组\|文本\|整数\|数值\|日期\|布尔\|枚举\|设\|项目\|分值\|保底\|封顶\)\>"
syn match wenzeKeyword "\<\(扣\|加\|免\|当\|如果\|则\|否则\|且\|或\|非\|属于\|其中\)\>"
syn match wenzeKeyword "\<\(全体\|任一\|逐个\|分类\|其余\|阶梯\|对照表\|依此类推\|处理\|档\|扣减\|等次\)\>"
syn match wenzeKeyword "\<\(不参与分配\|提示\|测试\|预期\|数据行\|往期\|为零\|占份\|以内\|总分\|分配\|津贴\)\>"
syn match wenzeKeyword "\<\(保留\|角色\|职责\|是\|否\)\>"
hi def link wenzeComment Comment
hi def link wenzeString String
hi def link wenzeDate Constant
hi def link wenzeNumber Number
hi def link wenzeKeyword Keyword
let b:current_syntax = "wenze"
