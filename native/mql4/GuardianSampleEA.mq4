//+------------------------------------------------------------------+
//| GuardianSampleEA.mq4 - a sample Expert Advisor on the Guardian    |
//| bridge: STATUS every second, TRADE events as orders change,       |
//| SIGNAL / COMMAND / PARAM acted on, socket -> pipe -> spool.       |
//|                                                                  |
//| A sketch to start from, not a strategy: it trades only what      |
//| Guardian sends, with InpMagic, within InpMaxLots.                |
//+------------------------------------------------------------------+
#property strict
#property description "Guardian bridge sample: reports to and takes orders from Guardian."

#include <GuardianBridge.mqh>

input string InpNodeId    = "";                 // node id ("" = ea-<account>-<symbol>)
input string InpHost      = "127.0.0.1";        // Guardian socket host
input int    InpPort      = 9999;               // Guardian socket port
input string InpPipe      = "guardian-bridge";  // Guardian named pipe (\\.\pipe\...)
input string InpHmacKey   = "";                 // shared key ("" = none)
input string InpSpool     = "guardian\\spool";  // spool dir under MQL4\Files (one per EA)
input int    InpTimerMs   = 200;                // poll interval
input double InpMaxLots   = 1.0;                // cap on any order size
input int    InpSlippage  = 3;                  // points
input int    InpMagic     = 424242;             // orders this EA owns

int      g_h = 0;             // bridge handle
string   g_node, g_spool, g_path = "";
double   g_maxLots;
uint     g_lastStatus = 0, g_lastAttempt = 0, g_lastSpoolRead = 0;
int      g_tickets[];         // order snapshot, to turn changes into TRADE events
double   g_sl[], g_tp[];

//+------------------------------------------------------------------+
//| HOLD_NEW_ENTRIES must survive an EA or terminal restart: Guardian |
//| sends each command once. A terminal global variable persists.     |
//+------------------------------------------------------------------+
bool Hold()            { return(GlobalVariableCheck("guardian.hold."+g_node) && GlobalVariableGet("guardian.hold."+g_node)!=0); }
void SetHold(bool on)  { GlobalVariableSet("guardian.hold."+g_node,on ? 1 : 0); }

string SafeId(string s)
  {
   string out="";
   for(int i=0; i<StringLen(s) && i<64; i++)
     {
      ushort ch=StringGetCharacter(s,i);
      bool ok=(ch>='a' && ch<='z') || (ch>='A' && ch<='Z') || (ch>='0' && ch<='9') || ch=='.' || ch=='_' || ch==':' || ch=='-';
      out+=ok ? ShortToString(ch) : "_";
     }
   return(out);
  }

double Pip(string sym)
  {
   int digits=(int)MarketInfo(sym,MODE_DIGITS);
   return(MarketInfo(sym,MODE_POINT)*((digits==3 || digits==5) ? 10 : 1));
  }

string Num(double v,int digits) { return(DoubleToString(v,digits)); }

//+------------------------------------------------------------------+
int OnInit()
  {
   if(!TerminalInfoInteger(TERMINAL_DLLS_ALLOWED))
     {
      Print("Guardian: allow DLL imports (Tools > Options > Expert Advisors)");
      return(INIT_FAILED);
     }
   g_node=SafeId(InpNodeId!="" ? InpNodeId : "ea-"+IntegerToString(AccountNumber())+"-"+Symbol());
   g_maxLots=InpMaxLots;
   string files=TerminalInfoString(TERMINAL_DATA_PATH)+"\\MQL4\\Files\\";
   g_spool=files+InpSpool;
   g_h=gb_open_w(g_node,files+"guardian\\state-"+g_node,InpHmacKey);
   if(g_h==0)
     {
      Print("Guardian: ",GbLastError(0));
      return(INIT_FAILED);
     }
   Print("Guardian: ",gb_version_w()," node ",g_node,", ",gb_unacked_count(g_h)," unacknowledged message(s) kept");
   gb_set_hello_extra_w(g_h,"{\"account\":"+GbJsonQuote(IntegerToString(AccountNumber()))+",\"symbols\":["+GbJsonQuote(Symbol())+"]}");
   Snapshot();
   EnsureConnected();
   EventSetMillisecondTimer(InpTimerMs);
   return(INIT_SUCCEEDED);
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(g_h!=0)
     {
      SendStatus("STATUS");   // stored even if not sent: it goes out on the next start
      gb_close(g_h);
      g_h=0;
     }
  }

void OnTick() { CheckTrades(); }

//+------------------------------------------------------------------+
void OnTimer()
  {
   if(g_h==0)
      return;
   EnsureConnected();
   if(g_path=="socket" || g_path=="pipe")
     {
      gb_heartbeat(g_h,GetTickCount());
      int n=gb_poll(g_h,0);
      if(n<0)
         Print("Guardian: ",g_path," lost: ",GbLastError(g_h));
     }
   else
      gb_spool_write_w(g_h,g_spool);   // our unacknowledged messages, as files
   // A receiver accepts data on any path: Guardian may use the spool while we are on the socket.
   if(GetTickCount()-g_lastSpoolRead>=1000)
     {
      g_lastSpoolRead=GetTickCount();
      gb_spool_read_w(g_h,g_spool);
     }
   string json;
   while(GbNextMessage(g_h,json))
      Handle(json);
   CheckTrades();
   if(GetTickCount()-g_lastStatus>=1000)
      SendStatus("STATUS");
  }

//+------------------------------------------------------------------+
//| socket first, then pipe, then the spool; retried every 5 s.       |
//+------------------------------------------------------------------+
void EnsureConnected()
  {
   if(gb_is_connected(g_h)==1)
      return;
   if(g_path!="" && GetTickCount()-g_lastAttempt<5000)
     {
      if(g_path!="spool")
         SetPath("spool");
      return;
     }
   g_lastAttempt=GetTickCount();
   if(gb_connect_socket_w(g_h,InpHost,InpPort,1000)==GB_OK)
      SetPath("socket");
   else
      if(InpPipe!="" && gb_connect_pipe_w(g_h,InpPipe,1000)==GB_OK)
         SetPath("pipe");
      else
         SetPath("spool");
  }

void SetPath(string p)
  {
   if(p==g_path)
      return;
   Print("Guardian: path ",g_path=="" ? "(none)" : g_path," -> ",p,p=="spool" ? " ("+GbLastError(g_h)+")" : "");
   g_path=p;
  }

//+------------------------------------------------------------------+
void Send(string type,string payload)
  {
   long seq=gb_send_w(g_h,type,payload);
   if(seq<0)
      Print("Guardian: cannot store ",type,": ",GbLastError(g_h));
  }

void SendStatus(string type)
  {
   int open=0,pending=0;
   for(int i=OrdersTotal()-1; i>=0; i--)
      if(OrderSelect(i,SELECT_BY_POS,MODE_TRADES) && (InpMagic==0 || OrderMagicNumber()==InpMagic))
        {
         if(OrderType()<=OP_SELL)
            open++;
         else
            pending++;
        }
   string state=!IsTradeAllowed() ? "HALT" : Hold() ? "PAUSED" : open>0 ? "MANAGING" : pending>0 ? "ORDERS_PLACED" :
                gb_is_connected(g_h)==1 ? "ARMED" : "IDLE";
   double margin=AccountMargin();
   string p="{\"ea_state\":\""+state+"\",\"balance\":"+Num(AccountBalance(),2)+",\"equity\":"+Num(AccountEquity(),2)+
            ",\"margin_level\":"+Num(margin>0 ? AccountEquity()/margin*100.0 : 0,2)+
            ",\"spread_pips\":"+Num((Ask-Bid)/Pip(Symbol()),1)+",\"open_positions\":"+IntegerToString(open)+
            ",\"server_time\":"+GbJsonQuote(GbIsoTime(TimeCurrent()))+"}";
   Send(type,p);
   g_lastStatus=GetTickCount();
  }

void SendTrade(string ev,int ticket,string sym,string side,double lots,double req,double price,
               double sl,double tp,double pnl,string reject)
  {
   int d=(int)MarketInfo(sym,MODE_DIGITS);
   string p="{\"event\":\""+ev+"\",\"ticket\":"+IntegerToString(ticket)+",\"symbol\":"+GbJsonQuote(sym)+
            ",\"side\":\""+side+"\",\"lots\":"+Num(lots,2);
   if(req>0)
      p+=",\"requested_price\":"+Num(req,d)+",\"slippage_pips\":"+Num(MathAbs(price-req)/Pip(sym),1);
   if(price>0)
      p+=",\"price\":"+Num(price,d);
   p+=",\"sl\":"+Num(sl,d)+",\"tp\":"+Num(tp,d)+",\"pnl\":"+Num(pnl,2);
   if(reject!="")
      p+=",\"reject_code\":"+GbJsonQuote(reject);
   Send("TRADE",p+"}");
  }

//+------------------------------------------------------------------+
//| MT4 has no OnTrade: compare the order pool with the last snapshot.|
//+------------------------------------------------------------------+
void Snapshot()
  {
   ArrayResize(g_tickets,0);
   ArrayResize(g_sl,0);
   ArrayResize(g_tp,0);
   for(int i=OrdersTotal()-1; i>=0; i--)
      if(OrderSelect(i,SELECT_BY_POS,MODE_TRADES) && (InpMagic==0 || OrderMagicNumber()==InpMagic))
        {
         int n=ArraySize(g_tickets);
         ArrayResize(g_tickets,n+1);
         ArrayResize(g_sl,n+1);
         ArrayResize(g_tp,n+1);
         g_tickets[n]=OrderTicket();
         g_sl[n]=OrderStopLoss();
         g_tp[n]=OrderTakeProfit();
        }
  }

string Side(int type) { return((type%2)==0 ? "BUY" : "SELL"); }   // OP_BUY, OP_BUYLIMIT, OP_BUYSTOP are even

void CheckTrades()
  {
   int old[];
   double osl[],otp[];
   ArrayCopy(old,g_tickets);
   ArrayCopy(osl,g_sl);
   ArrayCopy(otp,g_tp);
   Snapshot();
   for(int i=0; i<ArraySize(g_tickets); i++)
     {
      int k=-1;
      for(int j=0; j<ArraySize(old) && k<0; j++)
         if(old[j]==g_tickets[i])
            k=j;
      if(!OrderSelect(g_tickets[i],SELECT_BY_TICKET))
         continue;
      if(k<0)
         SendTrade("OPENED",OrderTicket(),OrderSymbol(),Side(OrderType()),OrderLots(),0,OrderOpenPrice(),OrderStopLoss(),OrderTakeProfit(),0,"");
      else
         if(osl[k]!=g_sl[i] || otp[k]!=g_tp[i])
            SendTrade("MODIFIED",OrderTicket(),OrderSymbol(),Side(OrderType()),OrderLots(),0,OrderOpenPrice(),OrderStopLoss(),OrderTakeProfit(),0,"");
     }
   for(int j=0; j<ArraySize(old); j++)
     {
      bool still=false;
      for(int i=0; i<ArraySize(g_tickets) && !still; i++)
         still=g_tickets[i]==old[j];
      if(!still && OrderSelect(old[j],SELECT_BY_TICKET,MODE_HISTORY))
         SendTrade("CLOSED",OrderTicket(),OrderSymbol(),Side(OrderType()),OrderLots(),0,OrderClosePrice(),
                   OrderStopLoss(),OrderTakeProfit(),OrderProfit()+OrderSwap()+OrderCommission(),"");
     }
  }

//+------------------------------------------------------------------+
//| One message from Guardian.                                        |
//+------------------------------------------------------------------+
void Handle(string json)
  {
   string header=GbJsonRaw(json,"header"),payload=GbJsonRaw(json,"payload");
   string type=GbJsonString(header,"message_type");
   if(type=="SIGNAL")
      OnSignal(payload);
   else
      if(type=="COMMAND")
         OnCommand(GbJsonString(payload,"command"),GbJsonString(payload,"reason"));
      else
         if(type=="PARAM" && GbJsonString(payload,"name")=="max_lots")
            g_maxLots=MathMin(InpMaxLots,GbJsonNumber(payload,"value",g_maxLots));
         else
            if(type=="STATUS_REQUEST")
               SendStatus("STATUS_RESPONSE");
  }

void OnCommand(string cmd,string reason)
  {
   Print("Guardian: COMMAND ",cmd," (",reason,")");
   if(cmd=="HOLD_NEW_ENTRIES")
      SetHold(true);
   else
      if(cmd=="RESUME")
         SetHold(false);
      else
         if(cmd=="CANCEL_ALL")
            CloseOrders("",false,true);
         else
            if(cmd=="FLATTEN")
               CloseOrders("",true,true);
   SendStatus("STATUS");   // PING is answered by this too
  }

void OnSignal(string p)
  {
   string action=GbJsonString(p,"action"),sym=GbJsonString(p,"symbol"),id=GbJsonString(p,"signal_id");
   double sl=GbJsonNumber(p,"sl",0),tp=GbJsonNumber(p,"tp",0);
   if(sym=="")
      sym=Symbol();
   if(action=="CLOSE")
     {
      CloseOrders(sym,true,false);
      return;
     }
   if(action=="MODIFY")
     {
      for(int i=OrdersTotal()-1; i>=0; i--)
         if(OrderSelect(i,SELECT_BY_POS,MODE_TRADES) && OrderSymbol()==sym && OrderMagicNumber()==InpMagic &&
            !OrderModify(OrderTicket(),OrderOpenPrice(),sl,tp,0,clrNONE))
            Print("Guardian: modify ",OrderTicket()," failed: ",GetLastError());
      return;
     }
   bool buy=action=="BUY";
   string side=buy ? "BUY" : "SELL";
   double step=MarketInfo(sym,MODE_LOTSTEP);
   double lots=MathMin(GbJsonNumber(p,"lots",MarketInfo(sym,MODE_MINLOT)),g_maxLots);
   if(step>0)
      lots=MathFloor(lots/step)*step;
   if(Hold())   // Guardian said no new entries: refuse, and say so
     {
      SendTrade("REJECTED",0,sym,side,lots,0,0,sl,tp,0,"HOLD_NEW_ENTRIES");
      return;
     }
   string ot=GbJsonString(p,"order_type");
   double req=GbJsonNumber(p,"price",0);
   int cmd=buy ? OP_BUY : OP_SELL;
   if(ot=="LIMIT" && req>0)
      cmd=buy ? OP_BUYLIMIT : OP_SELLLIMIT;
   else
      if(ot=="STOP" && req>0)
         cmd=buy ? OP_BUYSTOP : OP_SELLSTOP;
      else
         req=buy ? MarketInfo(sym,MODE_ASK) : MarketInfo(sym,MODE_BID);
   int ticket=OrderSend(sym,cmd,lots,req,InpSlippage,sl,tp,"guardian "+id,InpMagic,0,clrNONE);
   if(ticket<0)
     {
      SendTrade("REJECTED",0,sym,side,lots,req,0,sl,tp,0,IntegerToString(GetLastError()));
      return;
     }
   if(OrderSelect(ticket,SELECT_BY_TICKET))
      SendTrade("OPENED",ticket,sym,side,OrderLots(),req,OrderOpenPrice(),OrderStopLoss(),OrderTakeProfit(),0,"");
   Snapshot();   // reported here with its requested price: not again by CheckTrades
  }

//+------------------------------------------------------------------+
//| Closes market orders and/or deletes pending ones (sym "" = all).  |
//+------------------------------------------------------------------+
void CloseOrders(string sym,bool market,bool pending)
  {
   for(int i=OrdersTotal()-1; i>=0; i--)
     {
      if(!OrderSelect(i,SELECT_BY_POS,MODE_TRADES) || OrderMagicNumber()!=InpMagic || (sym!="" && OrderSymbol()!=sym))
         continue;
      bool ok=true;
      if(OrderType()<=OP_SELL && market)
         ok=OrderClose(OrderTicket(),OrderLots(),OrderType()==OP_BUY ? MarketInfo(OrderSymbol(),MODE_BID) :
                       MarketInfo(OrderSymbol(),MODE_ASK),InpSlippage,clrNONE);
      else
         if(OrderType()>OP_SELL && pending)
            ok=OrderDelete(OrderTicket(),clrNONE);
      if(!ok)
         Print("Guardian: close/delete ",OrderTicket()," failed: ",GetLastError());
     }
   CheckTrades();   // CLOSED events now, not on the next tick
  }
//+------------------------------------------------------------------+
